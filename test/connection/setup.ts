import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionSpecFor, type SpecOptions } from '../../src/connection/spec.js';
import type { ConnectionSpec } from '../../src/connection/types.js';
import { type Keys, makeKeys, type Sshd, type SshdOptions, startSshd } from './sshd.js';

/** Why the real-sshd tests cannot run here, or undefined when they can. */
export function sshdSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (sshd in a private mount namespace)';
  for (const bin of ['/usr/sbin/sshd', '/usr/bin/ssh-keygen', '/usr/bin/unshare']) {
    if (!existsSync(bin)) return `needs ${bin} (apt-get install openssh-server openssh-client util-linux)`;
  }
  return undefined;
}

export function sudoSkipReason(): string | undefined {
  return existsSync('/usr/bin/sudo') ? undefined : 'needs /usr/bin/sudo (apt-get install sudo)';
}

export interface Bench {
  dir: string;
  keys: Keys;
  sshd: Sshd;
  knownHosts: string;
  /** A spec for this sshd (root, ed25519 key, its known_hosts), with vars/options on top. */
  spec(vars?: Record<string, unknown>, opts?: SpecOptions, s?: Sshd): ConnectionSpec;
  cleanup(): Promise<void>;
}

export async function startBench(o: Partial<SshdOptions> = {}): Promise<Bench> {
  const dir = await mkdtemp(join(tmpdir(), 'lb-conn-test-'));
  const keys = await makeKeys(join(dir, 'keys'));
  const sshd = await startSshd({ authorizedKeys: keys.publics, ...o });
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, `${sshd.knownHostsLine}\n`);
  return {
    dir,
    keys,
    sshd,
    knownHosts,
    spec(vars = {}, opts = {}, s = sshd) {
      return connectionSpecFor(
        'target',
        {
          ansible_connection: 'ssh',
          ansible_host: '127.0.0.1',
          ansible_port: s.port,
          ansible_user: 'root',
          ansible_ssh_private_key_file: keys.ed25519,
          ansible_ssh_common_args: `-o UserKnownHostsFile=${knownHosts}`,
          ...vars,
        },
        { sshConfigFile: join(dir, 'no-ssh-config'), ...opts },
      );
    },
    async cleanup() {
      await sshd.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true or `ms` pass (for effects that land shortly after a call returns). */
export async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
