import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionPool } from '../../src/connection/index.js';
import type { Connection } from '../../src/connection/types.js';
import { runOnLab } from '../executor/lab-run.js';
import { describeLab } from '../lab/fixture.js';
import { controllerAddress } from '../lab/paths.js';
import { threeRuns } from './idempotence.js';
import { labPool } from './lab-conn.js';
import { runModule } from './run.js';

/** The modules cluster playbooks (kubeasz, kubespray) use, over real SSH on a lab host; checked with Lab.sh. */
describeLab('cluster-playbook modules on a lab host', { hosts: 1, etcd: 0, masters: 0, tls: false }, (lab) => {
  let pool: ConnectionPool;
  let conn: Connection;
  // an HTTP server in the test process, on the controller's address on the lab bridge (reachable from the hosts)
  let server: Server;
  let base = '';
  const hits: IncomingMessage[] = [];
  const routes = new Map<string, Buffer>();
  const BODY = 'lifeboat payload\n';
  const sha256 = createHash('sha256').update(BODY).digest('hex');
  const sh = async (cmd: string) => {
    const r = await lab().sh('node1', cmd);
    expect(r.rc, r.stderr).toBe(0);
    return r.stdout;
  };
  const run = (name: string, args: Record<string, unknown>, over = {}) => runModule(name, args, conn, over);
  beforeAll(async () => {
    pool = labPool(lab());
    conn = await pool.get('node1');
    server = createServer((req, res) => {
      hits.push(req);
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        const url = req.url ?? '';
        const fixed = routes.get(url);
        if (fixed) return res.end(fixed);
        if (url.startsWith('/files/')) return res.end(BODY);
        if (url === '/secret' && req.headers.authorization !== `Basic ${Buffer.from('lb:s3cret').toString('base64')}`) {
          res.statusCode = 401;
          return res.end('no');
        }
        if (url === '/secret') return res.end('ok');
        if (url.startsWith('/api')) {
          res.setHeader('content-type', 'application/json');
          res.statusCode = req.method === 'POST' ? 201 : 200;
          return res.end(JSON.stringify({ method: req.method, body: body ? JSON.parse(body) : null, h: req.headers['x-lb'] ?? null }));
        }
        res.statusCode = 404;
        res.end('not found');
      });
    });
    await new Promise<void>((ok) => server.listen(0, controllerAddress(lab().id), ok));
    base = `http://${controllerAddress(lab().id)}:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await pool?.closeAll();
    await new Promise((ok) => server?.close(ok));
  });

  it('file: attributes +i / -i with chattr, times from a timestamp, touch with preserve', async () => {
    await sh('mkdir -p /root/lb-attr && echo x > /root/lb-attr/f && chattr -i /root/lb-attr/f');
    const f = '/root/lb-attr/f';
    await threeRuns(conn, 'file', { path: f, attributes: '+i', mode: '0600' }, {
      unchanged: async () => expect(await sh(`lsattr -d ${f}`)).not.toMatch(/^\S*i/),
    });
    expect(await sh(`lsattr -d ${f} | cut -c1-5; stat -c %a ${f}`)).toBe('----i\n600\n');
    expect((await lab().sh('node1', `echo y >> ${f}`)).rc).not.toBe(0); // immutable for real
    await threeRuns(conn, 'file', { path: f, attributes: '-i', mode: '0644' }, { unchanged: async () => {} });
    expect(await sh(`lsattr -d ${f} | cut -c1-5; stat -c %a ${f}`)).toBe('-----\n644\n');
    const times = { path: f, modification_time: '202001021530.00', access_time: '2021-03-04 05:06', access_time_format: '%Y-%m-%d %H:%M' };
    await threeRuns(conn, 'file', times, { unchanged: async () => {} });
    expect(await sh(`date -d @$(stat -c %Y ${f}) '+%F %T'; date -d @$(stat -c %X ${f}) '+%F %T'`)).toBe('2020-01-02 15:30:00\n2021-03-04 05:06:00\n');
    const keep = { path: '/root/lb-attr/t', state: 'touch', modification_time: 'preserve', access_time: 'preserve' };
    await threeRuns(conn, 'file', keep, { unchanged: async () => expect(await sh('ls /root/lb-attr')).toBe('f\n') });
    expect((await run('file', { path: f, state: 'touch' })).result.changed).toBe(true);
    expect(Number(await sh(`stat -c %Y ${f}`))).toBeGreaterThan(1600000000);
  });

  it('get_url: downloads on the host with the checksum checked first; idempotent; wget and python3 when curl is missing', async () => {
    await sh('mkdir -p /var/lib/lb && rm -rf /var/lib/lb/*');
    const args = { url: `${base}/files/a.bin`, dest: '/var/lib/lb/a.bin', checksum: `sha256:${sha256}`, mode: '0640', headers: { 'X-Lb': 'yes' } };
    const r = await threeRuns(conn, 'get_url', args, { unchanged: async () => expect(await sh('ls -A /var/lib/lb')).toBe('') });
    expect(r.first).toMatchObject({ status_code: 200, dest: '/var/lib/lb/a.bin', msg: `OK (${BODY.length} bytes)` });
    expect(await sh('cat /var/lib/lb/a.bin; stat -c %a /var/lib/lb/a.bin; ls -A /var/lib/lb')).toBe(`${BODY}640\na.bin\n`);
    expect(hits.filter((h) => h.url === '/files/a.bin')).toHaveLength(1); // the second run did not fetch again
    expect(hits[0]?.headers['x-lb']).toBe('yes');
    // a wrong checksum fails and leaves nothing behind; a 404 fails naming the status
    const bad = await run('get_url', { url: `${base}/files/b.bin`, dest: '/var/lib/lb/b.bin', checksum: `sha256:${'0'.repeat(64)}` });
    expect(bad.result).toMatchObject({ failed: true, msg: expect.stringContaining('did not match') });
    const missing = await run('get_url', { url: `${base}/nope`, dest: '/var/lib/lb/n' });
    expect(missing.result).toMatchObject({ failed: true, msg: expect.stringContaining('HTTP 404') });
    expect(await sh('ls -A /var/lib/lb')).toBe('a.bin\n');
    // force: fetched again, same content: no change; credentials
    const force = await run('get_url', { ...args, checksum: '', force: true });
    expect(force.result).toMatchObject({ changed: false, status_code: 200 });
    const auth = await run('get_url', { url: `${base}/secret`, dest: '/var/lib/lb/s', url_username: 'lb', url_password: 's3cret' });
    expect(auth.result.changed).toBe(true);
    expect(await sh('cat /var/lib/lb/s')).toBe('ok');
    // into a directory: the URL's file name
    expect((await run('get_url', { url: `${base}/files/d.txt`, dest: '/var/lib/lb' })).result.dest).toBe('/var/lib/lb/d.txt');
    // without curl (hidden in this host's mount namespace): wget; without wget too: python3; then nothing
    try {
      await sh('mount --bind /dev/null /usr/bin/curl');
      expect(await sh('command -v curl || echo none')).toBe('none\n');
      await threeRuns(conn, 'get_url', { url: `${base}/files/w`, dest: '/var/lib/lb/w' }, { unchanged: async () => {} });
      await sh('mount --bind /dev/null /usr/bin/wget');
      expect(await sh('command -v wget || echo none; command -v python3')).toBe('none\n/usr/bin/python3\n');
      await threeRuns(conn, 'get_url', { url: `${base}/files/p`, dest: '/var/lib/lb/p', mode: 'u=rw,go=' }, { unchanged: async () => {} });
      expect(await sh('cat /var/lib/lb/w /var/lib/lb/p; stat -c %a /var/lib/lb/p')).toBe(`${BODY}${BODY}600\n`);
      expect((await run('get_url', { url: `${base}/files/p`, dest: '/var/lib/lb/p', force: true })).result.changed).toBe(false);
      expect((await run('get_url', { url: `${base}/nope`, dest: '/var/lib/lb/n2' })).result).toMatchObject({ failed: true, msg: expect.stringContaining('HTTP 404') });
    } finally {
      await lab().sh('node1', 'umount /usr/bin/wget; umount /usr/bin/curl');
    }
  });

  it('unarchive: a controller tgz uploaded and unpacked, a host zip (remote_src), strip-components with creates', async () => {
    const pb = mkdtempSync(join(tmpdir(), 'lb-unarchive-lab-'));
    try {
      mkdirSync(join(pb, 'files', 'src', 'kube', 'bin'), { recursive: true });
      writeFileSync(join(pb, 'files', 'src', 'kube', 'bin', 'kubectl'), '#!/bin/sh\necho fake\n', { mode: 0o755 });
      writeFileSync(join(pb, 'files', 'src', 'kube', 'README'), 'readme\n');
      execFileSync('tar', ['-czf', join(pb, 'files', 'kube.tgz'), '-C', join(pb, 'files', 'src'), 'kube']);
      const over = { over: { playbookDir: pb } };
      await sh('rm -rf /var/lib/lbx /var/lib/lbs && mkdir -p /var/lib/lbx /var/lib/lbs');
      const r = await threeRuns(conn, 'unarchive', { src: 'kube.tgz', dest: '/var/lib/lbx', list_files: true }, { ...over, unchanged: async () => expect(await sh('ls -A /var/lib/lbx')).toBe('') });
      expect(r.second.result).toMatchObject({ handler: 'TarArchive', files: expect.arrayContaining(['kube/bin/kubectl']) });
      expect(await sh('/var/lib/lbx/kube/bin/kubectl; cat /var/lib/lbx/kube/README; ls -A /tmp | grep -c lifeboat-unarchive || true')).toBe('fake\nreadme\n0\n');
      await sh('echo changed >> /var/lib/lbx/kube/README');
      expect((await run('unarchive', { src: 'kube.tgz', dest: '/var/lib/lbx' }, { check: true, playbookDir: pb })).op.changed).toBe(true);
      const strip = { src: 'kube.tgz', dest: '/var/lib/lbs', extra_opts: '--strip-components=1', creates: '/var/lib/lbs/bin/kubectl', owner: 'nobody' };
      await threeRuns(conn, 'unarchive', strip, { ...over, unchanged: async () => expect(await sh('ls -A /var/lib/lbs')).toBe('') });
      expect(await sh('stat -c %U /var/lib/lbs/bin/kubectl /var/lib/lbs/README')).toBe('nobody\nnobody\n');
      // remote_src: a zip made on the host
      await sh('rm -rf /root/z /var/lib/lbz && mkdir -p /root/z/d /var/lib/lbz && echo one > /root/z/d/f && cd /root && zip -qr z.zip z');
      await threeRuns(conn, 'unarchive', { src: '/root/z.zip', dest: '/var/lib/lbz', remote_src: true }, { unchanged: async () => expect(await sh('ls -A /var/lib/lbz')).toBe('') });
      expect(await sh('cat /var/lib/lbz/z/d/f')).toBe('one\n');
      expect((await run('unarchive', { src: '/root/none.zip', dest: '/var/lib/lbz', remote_src: true })).result).toMatchObject({ failed: true });
      expect((await run('unarchive', { src: '/root/z.zip', dest: '/var/lib/none', remote_src: true })).result).toMatchObject({ failed: true });
    } finally {
      rmSync(pb, { recursive: true, force: true });
    }
  });

  it('archive: two directories into a tar.gz relative to their common parent (in /var, the host overlay), exclusions, a touched file rebuilds it; one file compressed; zip; remove', async () => {
    await sh('rm -rf /var/lb/ca && mkdir -p /var/lb/ca/secrets /var/lb/ca/config /var/lb/ca/config/tmp && echo k > /var/lb/ca/secrets/key && echo c > /var/lb/ca/config/ca.json && echo x > /var/lb/ca/config/tmp/junk && echo s > /var/lb/ca/config/a.swp');
    const args = {
      path: ['/var/lb/ca/secrets', '/var/lb/ca/conf*'],
      dest: '/var/lb/ca-backup.tar.gz',
      exclude_path: ['/var/lb/ca/config/tmp'],
      exclusion_patterns: ['*.swp'],
      mode: '0600',
    };
    const r = await threeRuns(conn, 'community.general.archive', args, { unchanged: async () => expect(await sh('test -e /var/lb/ca-backup.tar.gz || echo none')).toBe('none\n') });
    expect(r.first).toMatchObject({ state: 'archive', arcroot: '/var/lb/ca/', archived: ['/var/lb/ca/secrets/key', '/var/lb/ca/config/ca.json'], missing: [] });
    expect(await sh('tar -tzf /var/lb/ca-backup.tar.gz | sort; stat -c %a /var/lb/ca-backup.tar.gz')).toBe('config/\nconfig/ca.json\nsecrets/\nsecrets/key\n600\n');
    await sh('sleep 1; echo k2 > /var/lb/ca/secrets/key');
    const again = await runModule('archive', args, conn);
    expect(again.result.changed).toBe(true);
    expect(await sh('tar -xzOf /var/lb/ca-backup.tar.gz secrets/key')).toBe('k2\n');
    // one file, no dest: compressed beside itself (bz2); the source stays
    await threeRuns(conn, 'archive', { path: '/var/lb/ca/config/ca.json', format: 'bz2' }, { unchanged: async () => {} });
    expect(await sh('bzip2 -dc /var/lb/ca/config/ca.json.bz2; test -e /var/lb/ca/config/ca.json && echo kept')).toBe('c\nkept\n');
    // a directory without dest is refused before anything runs; a path that matches nothing fails
    await expect(runModule('archive', { path: '/var/lb/ca/secrets' }, conn)).rejects.toThrow(/dest is required/);
    expect((await runModule('archive', { path: '/var/lb/none*', dest: '/var/lb/n.tgz' }, conn)).result).toMatchObject({ failed: true, msg: 'Error, no source paths were found' });
    // zip, then remove: the archived files go only after the archive is in place
    const z = await threeRuns(conn, 'archive', { path: ['/var/lb/ca/secrets', '/var/lb/ca/missing'], dest: '/var/lb/secrets.zip', format: 'zip' }, { unchanged: async () => {} });
    expect(z.first).toMatchObject({ state: 'incomplete', missing: ['/var/lb/ca/missing'] });
    expect(await sh('unzip -Z1 /var/lb/secrets.zip | sort')).toBe('secrets/\nsecrets/key\n');
    const rm = await runModule('archive', { path: '/var/lb/ca/secrets', dest: '/var/lb/secrets.tar', format: 'tar', remove: true }, conn);
    expect(rm.result.changed).toBe(true);
    expect(await sh('tar -tf /var/lb/secrets.tar | sort; test -e /var/lb/ca/secrets || echo removed')).toBe('secrets/\nsecrets/key\nremoved\n');
  });

  it('uri: GET json, POST a json body (status_code 201), return_content, a status outside status_code fails, creates skips', async () => {
    const get = await run('uri', { url: `${base}/api/x`, headers: { 'X-Lb': 'h1' }, return_content: true });
    expect(get.result).toMatchObject({ changed: false, status: 200, content_type: 'application/json', json: { method: 'GET', body: null, h: 'h1' } });
    expect(JSON.parse(String(get.result.content))).toEqual({ method: 'GET', body: null, h: 'h1' });
    const post = await run('ansible.builtin.uri', { url: `${base}/api/x`, method: 'POST', body: { a: [1, 'two'] }, body_format: 'json', status_code: [200, 201] });
    expect(post.result).toMatchObject({ status: 201, json: { method: 'POST', body: { a: [1, 'two'] } } });
    expect(post.result.content).toBeUndefined();
    const bad = await run('uri', { url: `${base}/missing` });
    expect(bad.result).toMatchObject({ failed: true, status: 404, content: 'not found', msg: expect.stringContaining('Status code was 404 and not [200]') });
    expect((await run('uri', { url: `${base}/secret`, url_username: 'lb', url_password: 's3cret', return_content: true })).result.content).toBe('ok');
    const down = await run('uri', { url: `http://${controllerAddress(lab().id)}:1/`, timeout: 3 });
    expect(down.result).toMatchObject({ failed: true, msg: expect.stringContaining('Request failed') });
    await sh('touch /root/uri-done');
    const skip = await run('uri', { url: `${base}/api/x`, method: 'DELETE', creates: '/root/uri-done' });
    expect(skip.op.steps).toEqual([]);
    expect(skip.result.msg).toBe('skipped, since /root/uri-done exists');
  });

  it('uri and get_url with TLS client authentication (client_cert, client_key, ca_path): accepted with the certificate, refused without, by curl, wget and python3', async () => {
    // a CA, a server certificate for the controller's lab address and a client certificate, made with openssl
    const pki = mkdtempSync(join(tmpdir(), 'lb-mtls-'));
    const ip = controllerAddress(lab().id);
    const ossl = (...a: string[]) => execFileSync('openssl', a, { cwd: pki, stdio: 'pipe' });
    ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=lb-test-ca');
    for (const [n, ext] of [['server', `subjectAltName=IP:${ip}`], ['client', 'extendedKeyUsage=clientAuth']] as const) {
      ossl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${n}.key`, '-out', `${n}.csr`, '-subj', `/CN=lb-${n}`);
      writeFileSync(join(pki, `${n}.ext`), `${ext}\n`);
      ossl('x509', '-req', '-in', `${n}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${n}.pem`, '-days', '1', '-extfile', `${n}.ext`);
    }
    const f = (n: string) => readFileSync(join(pki, n));
    const tls = createTlsServer({ key: f('server.key'), cert: f('server.pem'), ca: f('ca.pem'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ health: 'true', cn: (req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN ?? null }));
    });
    await new Promise<void>((ok) => tls.listen(0, ip, ok));
    const url = `https://${ip}:${(tls.address() as AddressInfo).port}/health`;
    try {
      await sh('rm -rf /etc/lb-pki && mkdir -p /etc/lb-pki /var/lib/lbt && rm -f /var/lib/lbt/*');
      for (const n of ['ca.pem', 'client.pem', 'client.key']) await conn.put(f(n), `/etc/lb-pki/${n}`, { mode: 0o600 });
      const certs = { client_cert: '/etc/lb-pki/client.pem', client_key: '/etc/lb-pki/client.key', ca_path: '/etc/lb-pki/ca.pem' };
      const ok = await run('uri', { url, ...certs, return_content: true });
      expect(ok.result).toMatchObject({ status: 200, json: { health: 'true', cn: 'lb-client' } });
      expect(ok.op.steps[0]?.kind === 'exec' && ok.op.steps[0].cmd).toContain('--cert /etc/lb-pki/client.pem --key /etc/lb-pki/client.key --cacert /etc/lb-pki/ca.pem');
      // the server asks for a certificate: without one the handshake fails; without the CA the server is not trusted
      expect((await run('uri', { url, ca_path: certs.ca_path })).result).toMatchObject({ failed: true, msg: expect.stringContaining('Request failed') });
      expect((await run('uri', { url, client_cert: certs.client_cert, client_key: certs.client_key })).result).toMatchObject({ failed: true });
      const dl = await run('get_url', { url, dest: '/var/lib/lbt/curl.json', ...certs });
      expect(dl.result).toMatchObject({ changed: true, status_code: 200 });
      try {
        await sh('mount --bind /dev/null /usr/bin/curl');
        expect((await run('get_url', { url, dest: '/var/lib/lbt/wget.json', ...certs })).result).toMatchObject({ changed: true, status_code: 200 });
        await sh('mount --bind /dev/null /usr/bin/wget');
        expect((await run('get_url', { url, dest: '/var/lib/lbt/py.json', ...certs })).result).toMatchObject({ changed: true, status_code: 200 });
        expect((await run('get_url', { url, dest: '/var/lib/lbt/none.json', ca_path: certs.ca_path })).result).toMatchObject({ failed: true });
      } finally {
        await lab().sh('node1', 'umount /usr/bin/wget; umount /usr/bin/curl');
      }
      expect(await sh('cat /var/lib/lbt/curl.json /var/lib/lbt/wget.json /var/lib/lbt/py.json; ls /var/lib/lbt')).toBe(`${'{"health":"true","cn":"lb-client"}'.repeat(3)}curl.json\npy.json\nwget.json\n`);
    } finally {
      await new Promise((done) => tls.close(done));
      rmSync(pki, { recursive: true, force: true });
    }
  });

  it("mount: a tmpfs in the host's own mount namespace and /etc (an overlay per host); present, mounted, remount on change, unmounted, absent", async () => {
    const mp = '/var/lib/lb-mnt';
    const fstabLine = async () => (await sh(`grep -F ' ${mp} ' /etc/fstab || true`)).trim();
    const args = { path: mp, src: 'lbtmp', fstype: 'tmpfs', opts: 'size=1m,mode=0755', state: 'mounted' };
    const isMounted = async () => (await lab().sh('node1', `findmnt -n --mountpoint ${mp}`)).rc === 0;
    try {
      await threeRuns(conn, 'ansible.posix.mount', { ...args, state: 'present' }, { unchanged: async () => expect(await fstabLine()).toBe('') });
      expect(await fstabLine()).toBe(`lbtmp ${mp} tmpfs size=1m,mode=0755 0 0`);
      expect(await isMounted()).toBe(false);
      await threeRuns(conn, 'mount', args, { unchanged: async () => expect(await isMounted()).toBe(false) });
      expect(await sh(`findmnt -n -r -o SOURCE,FSTYPE --mountpoint ${mp}; echo hi > ${mp}/x; cat ${mp}/x`)).toBe('lbtmp tmpfs\nhi\n');
      // options changed: fstab rewritten and the mounted file system remounted (data kept)
      const re = await threeRuns(conn, 'mount', { ...args, opts: 'size=2m,mode=0755' }, { unchanged: async () => expect(await fstabLine()).toContain('size=1m') });
      expect(re.plan.steps.map((s) => (s.kind === 'exec' ? s.cmd : s.kind))).toContain(`mount -o remount,size=2m,mode=0755 -- ${mp}`);
      expect(await sh(`findmnt -n -o OPTIONS --mountpoint ${mp}; cat ${mp}/x`)).toMatch(/size=2048k.*\nhi\n$/s);
      expect((await run('mount', { path: mp, state: 'remounted' })).result.changed).toBe(true);
      await threeRuns(conn, 'mount', { path: mp, state: 'unmounted' }, { unchanged: async () => expect(await isMounted()).toBe(true) });
      expect(await isMounted()).toBe(false);
      expect(await fstabLine()).not.toBe('');
      await sh(`mount -t tmpfs lbtmp ${mp}`);
      await threeRuns(conn, 'mount', { path: mp, state: 'absent' }, { unchanged: async () => expect(await isMounted()).toBe(true) });
      expect(await isMounted()).toBe(false);
      expect(await fstabLine()).toBe('');
      expect(await sh(`test -e ${mp} || echo gone`)).toBe('gone\n');
      expect((await run('mount', { path: mp, state: 'remounted' })).result).toMatchObject({ failed: true });
    } finally {
      await lab().sh('node1', `umount ${mp} 2>/dev/null; sed -i '\\| ${mp} |d' /etc/fstab`);
    }
  });

  it('apt_repository: a .list file in sources.list.d (no network: update_cache off), found anywhere, removed', async () => {
    const repo = 'deb [trusted=yes] file:/var/lib/lb-repo ./';
    const f = '/etc/apt/sources.list.d/file_var_lib_lb_repo.list'; // Ansible's name: only `scheme://` is dropped
    await sh(`rm -f ${f} /etc/apt/sources.list.d/lb-own.list`);
    try {
      const plan = await run('apt_repository', { repo }, { check: true });
      expect(plan.op.steps.map((s) => (s.kind === 'exec' ? s.cmd : s.kind))).toEqual(['put', 'apt-get update']);
      const r = await threeRuns(conn, 'apt_repository', { repo, update_cache: false }, { unchanged: async () => expect(await sh(`test -e ${f} || echo none`)).toBe('none\n') });
      expect(r.second.result.sources_added).toEqual([]);
      expect(await sh(`cat ${f}; stat -c %a ${f}`)).toBe(`${repo}\n644\n`);
      // the same line in another file counts; absent removes it everywhere
      await sh(`printf '# mine\\ndeb  [trusted=yes]  file:/var/lib/lb-repo ./\\ndeb http://x/ y z\\n' > /etc/apt/sources.list.d/lb-own.list`);
      const gone = await threeRuns(conn, 'apt_repository', { repo, state: 'absent', update_cache: false }, { unchanged: async () => {} });
      expect(gone.first.sources_removed).toEqual(expect.arrayContaining([f, '/etc/apt/sources.list.d/lb-own.list']));
      expect(await sh(`test -e ${f} || echo none; cat /etc/apt/sources.list.d/lb-own.list`)).toBe('none\n# mine\ndeb http://x/ y z\n');
      await threeRuns(conn, 'apt_repository', { repo, filename: 'lb-own', mode: '0600', update_cache: false }, { unchanged: async () => {} });
      expect(await sh('cat /etc/apt/sources.list.d/lb-own.list; stat -c %a /etc/apt/sources.list.d/lb-own.list')).toBe(`# mine\ndeb http://x/ y z\n${repo}\n600\n`);
    } finally {
      await lab().sh('node1', `rm -f ${f} /etc/apt/sources.list.d/lb-own.list`);
    }
  });

  it('synchronize: a controller tree pushed over the connection (no rsync), extras deleted with delete: yes', async () => {
    const pb = mkdtempSync(join(tmpdir(), 'lb-sync-lab-'));
    try {
      mkdirSync(join(pb, 'files', 'conf', 'sub'), { recursive: true });
      writeFileSync(join(pb, 'files', 'conf', 'a.yml'), 'a: 1\n');
      writeFileSync(join(pb, 'files', 'conf', 'sub', 'b.yml'), 'b: 2\n');
      await sh('rm -rf /var/lib/lb-sync && mkdir -p /var/lib/lb-sync/old/deep && touch /var/lib/lb-sync/old/deep/x /var/lib/lb-sync/stale');
      const args = { src: 'conf/', dest: '/var/lib/lb-sync', delete: true, archive: true, compress: true };
      await threeRuns(conn, 'ansible.posix.synchronize', args, {
        over: { playbookDir: pb },
        unchanged: async () => expect(await sh('cd /var/lib/lb-sync && find . | sort')).toBe('.\n./old\n./old/deep\n./old/deep/x\n./stale\n'),
      });
      expect(await sh('cd /var/lib/lb-sync && find . -type f | sort | xargs cat')).toBe('a: 1\nb: 2\n');
      expect(await sh('cd /var/lib/lb-sync && find . | sort')).toBe('.\n./a.yml\n./sub\n./sub/b.yml\n');
      writeFileSync(join(pb, 'files', 'conf', 'a.yml'), 'a: 3\n');
      await threeRuns(conn, 'synchronize', { src: 'conf', dest: '/var/lib/lb-sync' }, { over: { playbookDir: pb }, unchanged: async () => {} });
      expect(await sh('cat /var/lib/lb-sync/conf/a.yml /var/lib/lb-sync/a.yml')).toBe('a: 3\na: 1\n');
      await expect(run('synchronize', { src: 'conf', dest: '/x', rsync_opts: ['--exclude=.git'] }, { playbookDir: pb })).rejects.toThrow(/rsync_opts/);
    } finally {
      rmSync(pb, { recursive: true, force: true });
    }
  });

  it('a playbook through the executor: get_url → unarchive (remote_src) → uri registered and asserted; the second run changes nothing', async () => {
    const pb = mkdtempSync(join(tmpdir(), 'lb-e2e-'));
    try {
      mkdirSync(join(pb, 'etcd-v9', 'bin'), { recursive: true });
      writeFileSync(join(pb, 'etcd-v9', 'bin', 'etcdctl'), '#!/bin/sh\necho v9\n', { mode: 0o755 });
      routes.set('/etcd-v9.tgz', execFileSync('tar', ['-czf', '-', '-C', pb, 'etcd-v9']));
      const sha = createHash('sha256').update(routes.get('/etcd-v9.tgz') as Buffer).digest('hex');
      const yaml = `
- hosts: node1
  vars: { base: "${base}", sha: "${sha}" }
  tasks:
    - file: { path: /var/lib/lb-e2e, state: directory }
    - get_url: { url: "{{ base }}/etcd-v9.tgz", dest: /var/lib/lb-e2e/etcd.tgz, checksum: "sha256:{{ sha }}", mode: "0600" }
    - unarchive: src=/var/lib/lb-e2e/etcd.tgz dest=/var/lib/lb-e2e remote_src=yes extra_opts=--strip-components=1
    - ansible.builtin.uri: { url: "{{ base }}/api/health", return_content: yes, headers: { X-Lb: e2e } }
      register: h
    - assert: { that: ["h.status == 200", "h.json.h == 'e2e'", "h.content_type == 'application/json'"] }
    - copy: { content: "{{ h.json.method }}", dest: /var/lib/lb-e2e/method }
`;
      await sh('rm -rf /var/lib/lb-e2e');
      const first = await runOnLab(lab(), yaml);
      expect(first.summary.exitCode).toBe(0);
      expect(first.summary.hosts.node1).toMatchObject({ failed: 0, changed: 4 });
      expect(await sh('/var/lib/lb-e2e/bin/etcdctl; cat /var/lib/lb-e2e/method; stat -c %a /var/lib/lb-e2e/etcd.tgz')).toBe('v9\nGET600\n');
      const second = await runOnLab(lab(), yaml);
      expect(second.summary.exitCode).toBe(0);
      expect(second.summary.hosts.node1).toMatchObject({ failed: 0, changed: 0 });
    } finally {
      rmSync(pb, { recursive: true, force: true });
    }
  });
});
