/** Can this machine run the lab? (root, namespaces, and the Debian packages scripts/setup.sh installs) */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { HOST_PATH } from './paths.js';

const NEEDED: [string, string][] = [
  ['ip', 'iproute2'],
  ['unshare', 'util-linux'],
  ['nsenter', 'util-linux'],
  ['sshd', 'openssh-server'],
  ['ssh', 'openssh-client'],
  ['ssh-keygen', 'openssh-client'],
  ['etcd', 'etcd-server'],
  ['etcdctl', 'etcd-client'],
  ['openssl', 'openssl'],
  ['start-stop-daemon', 'dpkg'],
  ['service', 'init-system-helpers'],
  ['cc', 'gcc'],
];

export function which(cmd: string): string | undefined {
  for (const dir of HOST_PATH.split(':')) {
    const p = path.join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

let cached: { ok: true } | { ok: false; why: string } | undefined;

export function labSupport(): { ok: true } | { ok: false; why: string } {
  if (cached) return cached;
  cached = check();
  return cached;
}

function check(): { ok: true } | { ok: false; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: `the lab needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, why: 'the lab needs root (network and mount namespaces)' };
  const missing = NEEDED.filter(([cmd]) => !which(cmd)).map(([cmd, pkg]) => `${cmd} (${pkg})`);
  if (missing.length) return { ok: false, why: `missing: ${missing.join(', ')} — run \`bash scripts/setup.sh\`` };
  const r = spawnSync('unshare', ['--net', '--uts', '--mount', '--propagation', 'private', 'true'], { timeout: 5000 });
  if (r.status !== 0) {
    return { ok: false, why: `cannot create namespaces: unshare: ${String(r.stderr).trim() || `status ${r.status}`}` };
  }
  return { ok: true };
}
