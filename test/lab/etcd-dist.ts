/**
 * The etcd releases a lab can run. 3.4 is the machine's own (Debian bookworm's etcd-server/etcd-client, in
 * /usr/bin). 3.5 is Debian's too — the packages of the `sid` suite, static Go binaries that run on bookworm —
 * fetched once into a versioned directory of the lab's cache without touching the machine's apt setup: apt-get
 * runs with a private sources dir (one `.sources` file naming the machine's own mirror URI), private lists and
 * cache, then `download` + `dpkg-deb -x`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LifeboatError } from '../../src/errors.js';
import { HOST_PATH } from './paths.js';
import { run, runOk } from './proc.js';

export type EtcdLine = '3.4' | '3.5';
export const ETCD_LINES: readonly EtcdLine[] = ['3.4', '3.5'];

/** Where fetched releases live: `<cache>/<debian version>/usr/bin/{etcd,etcdctl,etcdutl}`. */
export const ETCD_CACHE = process.env.LIFEBOAT_ETCD_CACHE ?? '/var/cache/lifeboat/etcd';

export interface EtcdDist {
  line: EtcdLine;
  /** Debian's package version, e.g. 3.5.30-2. */
  version: string;
  /** Directory holding etcd, etcdctl and (3.5) etcdutl. */
  binDir: string;
  /** True when these are the machine's own /usr/bin binaries. */
  system: boolean;
}

export function isEtcdLine(v: string): v is EtcdLine {
  return (ETCD_LINES as readonly string[]).includes(v);
}

/** The newest cached release of `line`, if any. */
export function cachedEtcd(line: EtcdLine): EtcdDist | undefined {
  if (line === '3.4') {
    if (!existsSync('/usr/bin/etcd')) return undefined;
    return { line, version: systemVersion() ?? '3.4', binDir: '/usr/bin', system: true };
  }
  let names: string[] = [];
  try {
    names = readdirSync(ETCD_CACHE).filter((n) => n.startsWith(`${line}.`) && !n.endsWith('.partial'));
  } catch {
    return undefined;
  }
  const ok = names.filter((n) => existsSync(path.join(ETCD_CACHE, n, 'usr/bin/etcd')));
  ok.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const version = ok.at(-1);
  return version ? { line, version, binDir: path.join(ETCD_CACHE, version, 'usr/bin'), system: false } : undefined;
}

function systemVersion(): string | undefined {
  try {
    const status = readFileSync('/var/lib/dpkg/status', 'utf8');
    const m = /Package: etcd-server\n(?:[^\n]+\n)*?Version: (\S+)/.exec(status);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** The machine's mirror URI for Debian's main archive (from its own apt sources), else Debian's default. */
export function machineMirror(): string {
  const files = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const f of files) {
    let text = '';
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    const deb822 = /^URIs:\s*(\S+)/m.exec(text);
    if (deb822?.[1] && !deb822[1].includes('security')) return deb822[1];
    const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+\s+main/m.exec(text);
    if (oneLine?.[1] && !oneLine[1].includes('security')) return oneLine[1];
  }
  return 'http://deb.debian.org/debian';
}

/** The release of `line`, fetched into the cache if it is not there yet. */
export async function ensureEtcd(line: EtcdLine, log: (s: string) => void = () => {}): Promise<EtcdDist> {
  const have = cachedEtcd(line);
  if (have) return have;
  if (line === '3.4') {
    throw new LifeboatError('E_PREFLIGHT', 'the lab cannot run etcd 3.4: /usr/bin/etcd is missing', {
      hint: "install Debian's etcd-server and etcd-client (bash scripts/setup.sh)",
    });
  }
  const apt = path.join(ETCD_CACHE, 'apt-sid');
  for (const d of ['sources', 'lists/partial', 'cache/archives/partial', 'dl']) await mkdir(path.join(apt, d), { recursive: true });
  await writeFile(
    path.join(apt, 'sources/sid.sources'),
    `Types: deb\nURIs: ${machineMirror()}\nSuites: sid\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
  );
  const o = [
    '-o', 'Dir::Etc::sourcelist=/dev/null', '-o', `Dir::Etc::sourceparts=${apt}/sources`,
    '-o', `Dir::State::Lists=${apt}/lists`, '-o', `Dir::Cache=${apt}/cache`, '-o', 'APT::Sandbox::User=root',
  ];
  const env = { PATH: HOST_PATH, LANG: 'C.UTF-8' };
  log(`lab: fetching etcd ${line} (Debian sid's etcd-server, etcd-client) into ${ETCD_CACHE}`);
  await runOk('apt-get', [...o, '-q', 'update'], { env, timeoutMs: 180_000 });
  const madison = await runOk('apt-cache', [...o, 'madison', 'etcd-server'], { env });
  const version = madison.stdout
    .split('\n')
    .map((l) => l.split('|')[1]?.trim() ?? '')
    .find((v) => v.startsWith(`${line}.`));
  if (!version) {
    throw new LifeboatError('E_PREFLIGHT', `no etcd-server ${line}.x in Debian sid (offered: ${madison.stdout.trim() || 'nothing'})`);
  }
  const dl = path.join(apt, 'dl');
  await runOk('apt-get', [...o, '-q', 'download', `etcd-server=${version}`, `etcd-client=${version}`], { env, cwd: dl, timeoutMs: 300_000 });
  const partial = path.join(ETCD_CACHE, `${version}.partial`);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  const debs = readdirSync(dl).filter((f) => f.endsWith('.deb') && f.includes(`_${version.replace(/^\d+:/, '')}_`));
  for (const deb of debs) await runOk('dpkg-deb', ['-x', path.join(dl, deb), partial], { env });
  const v = await run(path.join(partial, 'usr/bin/etcd'), ['--version'], { env });
  if (v.rc !== 0 || !v.stdout.includes(`etcd Version: ${line}.`)) {
    throw new LifeboatError('E_PREFLIGHT', `the fetched etcd ${version} does not run here: ${(v.stderr || v.stdout).trim()}`);
  }
  await rm(path.join(ETCD_CACHE, version), { recursive: true, force: true });
  await rename(partial, path.join(ETCD_CACHE, version));
  for (const deb of debs) await rm(path.join(dl, deb), { force: true });
  const got = cachedEtcd(line);
  if (!got) throw new LifeboatError('E_INTERNAL', `etcd ${version} was unpacked but is not found in ${ETCD_CACHE}`);
  log(`lab: etcd ${got.version} ready in ${got.binDir}`);
  return got;
}
