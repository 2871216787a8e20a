import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, startLab } from '../lab/index.js';
import { labSkipReason } from '../lab/fixture.js';

/** Where the lab cannot run (not root, packages missing), these tests are skipped and say why. */
const SKIP = labSkipReason();
if (SKIP) console.warn(`[lab] skipping etcd lab tests: ${SKIP}`);
import { CONTROL_PLANE, dataKeys, isRunning } from './lab-keys.js';
import { runPlaybook } from './playbook-run.js';

/**
 * etcd-migrate.yml: snapshot lab A (hosts node1-3, etcd-node*) and restore it onto lab B (hosts other1-3,
 * etcd-other*, other addresses), each member with its own name and address.
 */
let src: Lab;
let dst: Lab;
let dir: string;

beforeAll(async () => {
  if (SKIP) return;
  [src, dst] = await Promise.all([startLab({ hosts: 3, seedKeys: 400 }), startLab({ hosts: 3, prefix: 'other' })]);
  dir = await mkdtemp(path.join(tmpdir(), 'lifeboat-migrate-'));
}, 120_000);
afterAll(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Lab A's etcd hosts as the group etcd_source (and nothing else), for `-i target -i source`. */
async function sourceInventory(): Promise<string> {
  const inv = parse(await readFile(src.inventoryYaml, 'utf8'));
  const etcdHosts = Object.keys(inv.all.children.etcd.hosts);
  const hosts = Object.fromEntries(etcdHosts.map((h) => [h, inv.all.hosts[h]]));
  const out = { all: { children: { etcd_source: { hosts, vars: inv.all.children.etcd.vars } } } };
  const file = path.join(dir, 'source.yml');
  await writeFile(file, stringify(out));
  return file;
}

describe.skipIf(SKIP !== undefined)('etcd-migrate.yml between two labs', () => {
  it('restores lab A’s data onto lab B with B’s names and addresses', async () => {
    const before = await dataKeys(dst);
    expect(before.size).toBe(0);
    const sshConfig = path.join(dir, 'ssh_config');
    await writeFile(sshConfig, `${await readFile(src.sshConfig, 'utf8')}\n${await readFile(dst.sshConfig, 'utf8')}`);
    const r = await runPlaybook('etcd-migrate.yml', [dst.inventoryIni, await sourceInventory()], sshConfig, { etcd_backup_dir: dir });
    expect(r.ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
    expect(r.summary.exitCode).toBe(0);
    expect(await dataKeys(dst)).toEqual(src.expectedSeed());
    const members = JSON.parse((await dst.etcdctl('other2', ['member', 'list', '-w', 'json'])).stdout).members;
    expect(members.map((m: { name: string }) => m.name).sort()).toEqual(['etcd-other1', 'etcd-other2', 'etcd-other3']);
    for (const m of members as Array<{ name: string; peerURLs: string[] }>) {
      const host = dst.hosts.find((h) => `etcd-${h.name}` === m.name);
      expect(m.peerURLs).toEqual([host?.peerUrl]);
    }
    // the source cluster is untouched and still serves its data
    expect(await dataKeys(src)).toEqual(src.expectedSeed());
    for (const h of ['other1', 'other2', 'other3']) for (const s of CONTROL_PLANE) expect(await isRunning(dst, h, s)).toBe(true);
  }, 180_000);

  it('with -e snapshot=PATH no source inventory is needed', async () => {
    const { readdir } = await import('node:fs/promises');
    const snapshot = path.join(dir, (await readdir(dir)).find((f) => f.endsWith('.db')) as string);
    await dst.disaster({ prefix: '/registry/' });
    expect((await dataKeys(dst)).size).toBe(0);
    const r = await runPlaybook('etcd-migrate.yml', [dst.inventoryIni], dst.sshConfig, { etcd_backup_dir: dir, snapshot });
    expect(r.ev.failures().map((f) => `${f.task}: ${f.msg}`)).toEqual([]);
    expect(r.summary.exitCode).toBe(0);
    expect(await dataKeys(dst)).toEqual(src.expectedSeed());
  }, 180_000);
});
