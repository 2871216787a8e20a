import { describe, expect, it } from 'vitest';
import { parseChecksum } from '../../src/modules/get_url.js';
import { downloadScript } from '../../src/modules/lib/http-fetch.js';
import { FakeConnection } from './fake.js';
import { planModule } from './run.js';

const SHA = 'a'.repeat(64);
const stat = (extra = '') =>
  `exists=1\ntype=regular file\nsize=3\nmode=644\nuid=0\ngid=0\nowner=root\ngroup=root\nsha1=${'b'.repeat(40)}\nsha256=${SHA}\nparent=1\nself_uid=0\n${extra}`;
const absent = 'exists=0\nparent=1\nself_uid=0\n';
const cmds = (op: { steps: { kind: string; cmd?: string }[] }) => op.steps.map((s) => s.cmd ?? s.kind);

describe('get_url plan', () => {
  it('a missing dest is one download step on the host (curl, wget, python3), changed', async () => {
    const c = new FakeConnection().on('stat ', { stdout: absent });
    const op = await planModule('get_url', { url: 'http://x/a.tgz', dest: '/opt/a.tgz', checksum: `sha256:${SHA.toUpperCase()}`, mode: '0755' }, c);
    expect(op.changed).toBe(true);
    expect(op.steps).toHaveLength(1);
    const cmd = cmds(op)[0] ?? '';
    for (const w of ['command -v curl', 'command -v wget', 'python3 -c', 'sha256sum', SHA, "chmod 0755 -- \"$t\"", 'mv -f -- "$t" "$d"'])
      expect(cmd).toContain(w);
    expect(cmd.indexOf('sha256sum')).toBeLessThan(cmd.indexOf('mv -f'));
  });
  it('dest with the checksum: no step; without checksum and force: no, only attributes', async () => {
    const c = new FakeConnection().on('stat ', { stdout: stat() });
    const same = await planModule('get_url', { url: 'http://x/a', dest: '/a', checksum: `sha256:${SHA}` }, c);
    expect(same).toMatchObject({ changed: false, steps: [], result: { msg: 'file already exists' } });
    const mode = await planModule('get_url', { url: 'http://x/a', dest: '/a', mode: '0600', owner: 'root' }, c);
    expect(cmds(mode)).toEqual(['chmod 0600 -- /a']);
    const other = await planModule('get_url', { url: 'http://x/a', dest: '/a', checksum: `sha1:${'c'.repeat(40)}` }, c);
    expect(other.changed).toBe(true);
    const force = await planModule('get_url', { url: 'http://x/a', dest: '/a', force: true }, c);
    expect(force.changed).toBe('unknown');
    expect(force.notes?.[0]).toMatch(/only if its content differs/);
  });
  it('dest a directory: the URL basename inside it', async () => {
    const c = new FakeConnection()
      .on("'/opt/x/a.tar.gz'", { stdout: absent })
      .on('stat ', { stdout: 'exists=1\ntype=directory\nmode=755\nparent=1\nself_uid=0\n' });
    const op = await planModule('get_url', { url: 'https://h/p/a.tar.gz?x=1', dest: '/opt/x' }, c);
    expect(op.result?.dest).toBe('/opt/x/a.tar.gz');
  });
  it('credentials go in an Authorization header marked secret; bad checksums are refused', async () => {
    const c = new FakeConnection().on('stat ', { stdout: absent });
    const op = await planModule('get_url', { url: 'http://x/a', dest: '/a', url_username: 'u', url_password: 'pw', headers: { 'X-A': 1 } }, c);
    const step = op.steps[0];
    expect(step?.kind === 'exec' && step.secrets).toEqual(['pw', `Basic ${Buffer.from('u:pw').toString('base64')}`]);
    expect(cmds(op)[0]).toContain("'X-A: 1'");
    expect(() => parseChecksum('sha256')).toThrow(/algorithm/);
    expect(() => parseChecksum('sha256:http://x/SHA256SUMS')).toThrow(/not supported/);
    expect(() => parseChecksum('sha256:xyz')).toThrow(/hexadecimal/);
    expect(parseChecksum('')).toBeUndefined();
    await expect(planModule('get_url', { url: 'http://x/a', dest: '/a', checksum: 'crc:1' }, c)).rejects.toMatchObject({ code: 'E_MODULE' });
  });
  it('validate_certs: no and use_proxy: no reach every tool', () => {
    const s = downloadScript({ url: 'https://x/a', dest: '/a', headers: {}, timeout: 5, validateCerts: false, agent: 'a', useProxy: false });
    for (const w of [' -k ', '--no-check-certificate', '--noproxy', '--no-proxy', '--connect-timeout 5', '--timeout=5']) expect(s).toContain(w);
  });
  it('client_cert / client_key / ca_path reach curl, wget and python3 as host paths', async () => {
    const c = new FakeConnection().on('stat ', { stdout: absent });
    const op = await planModule('get_url', { url: 'https://x/a', dest: '/a', client_cert: '/pki/c.pem', client_key: '/pki/c.key', ca_path: '/pki/ca.pem' }, c);
    const cmd = cmds(op)[0] ?? '';
    for (const w of ['--cert /pki/c.pem --key /pki/c.key --cacert /pki/ca.pem', '--certificate=/pki/c.pem', '--private-key=/pki/c.key', '--ca-certificate=/pki/ca.pem', "/pki/c.pem /pki/c.key /pki/ca.pem"]) expect(cmd).toContain(w);
  });
});
