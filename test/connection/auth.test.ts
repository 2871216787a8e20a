import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LifeboatError } from '../../src/errors.js';
import { createConnectionPool } from '../../src/connection/pool.js';
import { SshConnection } from '../../src/connection/ssh-connection.js';
import { type Bench, eventually, sshdSkipReason, startBench } from './setup.js';
import { KEY_PASSPHRASE, type Sshd, startAgent, startSshd } from './sshd.js';

const skip = sshdSkipReason();
if (skip) console.warn(`connection auth tests skipped: ${skip}`);

async function whoami(c: SshConnection): Promise<string> {
  const r = await c.exec('id -un');
  expect(r.rc).toBe(0);
  return r.stdout.trim();
}

describe.skipIf(skip)('ssh authentication against a real sshd', () => {
  let b: Bench;
  beforeAll(async () => {
    b = await startBench();
  });
  afterAll(async () => {
    await b?.cleanup();
  });

  for (const kind of ['ed25519', 'rsa', 'ecdsa'] as const) {
    it(`logs in with an ${kind} key file`, async () => {
      const c = new SshConnection(b.spec({ ansible_ssh_private_key_file: b.keys[kind] }));
      try {
        expect(await whoami(c)).toBe('root');
      } finally {
        await c.close();
      }
    });
  }

  it('opens an encrypted key with the passphrase from the named environment variable', async () => {
    process.env.LB_TEST_PASSPHRASE = KEY_PASSPHRASE;
    try {
      const c = new SshConnection(
        b.spec({ ansible_ssh_private_key_file: b.keys.encrypted, lifeboat_key_passphrase_env: 'LB_TEST_PASSPHRASE' }),
      );
      expect(await whoami(c)).toBe('root');
      await c.close();
      // By default from LIFEBOAT_KEY_PASSPHRASE.
      process.env.LIFEBOAT_KEY_PASSPHRASE = KEY_PASSPHRASE;
      const c2 = new SshConnection(b.spec({ ansible_ssh_private_key_file: b.keys.encrypted }));
      expect(await whoami(c2)).toBe('root');
      await c2.close();
    } finally {
      delete process.env.LB_TEST_PASSPHRASE;
      delete process.env.LIFEBOAT_KEY_PASSPHRASE;
    }
  });

  it('refuses an encrypted key without its passphrase, saying which variable to set (and no secret)', async () => {
    const saved = process.env.LIFEBOAT_KEY_PASSPHRASE;
    const savedAgent = process.env.SSH_AUTH_SOCK;
    delete process.env.LIFEBOAT_KEY_PASSPHRASE;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const c = new SshConnection(b.spec({ ansible_ssh_private_key_file: b.keys.encrypted }));
      const err = await c.connect().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(LifeboatError);
      const e = err as LifeboatError;
      expect(e.code).toBe('E_CONNECT');
      expect(e.format()).toContain('LIFEBOAT_KEY_PASSPHRASE');
      expect(e.format()).toContain(b.keys.encrypted);
      expect(e.format()).not.toContain(KEY_PASSPHRASE);

      process.env.LIFEBOAT_KEY_PASSPHRASE = 'wrong passphrase';
      const c2 = new SshConnection(b.spec({ ansible_ssh_private_key_file: b.keys.encrypted }));
      const e2 = (await c2.connect().then(() => undefined, (x: unknown) => x)) as LifeboatError;
      expect(e2.code).toBe('E_CONNECT');
      expect(e2.format()).toContain('cannot decrypt');
      expect(e2.format()).not.toContain('wrong passphrase');
    } finally {
      if (saved === undefined) delete process.env.LIFEBOAT_KEY_PASSPHRASE;
      else process.env.LIFEBOAT_KEY_PASSPHRASE = saved;
      if (savedAgent !== undefined) process.env.SSH_AUTH_SOCK = savedAgent;
    }
  });

  it('reports a key the server does not accept as an authentication failure naming user and address', async () => {
    const other = join(b.dir, 'stranger');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const savedAgent = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const c = new SshConnection(b.spec({ ansible_ssh_private_key_file: other }));
      const e = (await c.connect().then(() => undefined, (x: unknown) => x)) as LifeboatError;
      expect(e.code).toBe('E_CONNECT');
      expect(e.message).toContain(`root@127.0.0.1:${b.sshd.port}`);
      expect(e.hint).toContain(other);
    } finally {
      if (savedAgent !== undefined) process.env.SSH_AUTH_SOCK = savedAgent;
    }
  });

  it('uses keys held by ssh-agent (SSH_AUTH_SOCK)', async () => {
    const agent = await startAgent(b.dir);
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      await agent.add(b.keys.rsa);
      process.env.SSH_AUTH_SOCK = agent.sock;
      // No usable key file: only the agent can get us in.
      const c = new SshConnection(b.spec({ ansible_ssh_private_key_file: join(b.dir, 'absent-key') }));
      expect(await whoami(c)).toBe('root');
      await c.close();
    } finally {
      agent.stop();
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
  });
});

describe.skipIf(skip)('ProxyJump through real bastion sshds', () => {
  let b: Bench;
  let hop1: Sshd;
  let hop2: Sshd;
  beforeAll(async () => {
    b = await startBench();
    hop1 = await startSshd({ authorizedKeys: b.keys.publics });
    hop2 = await startSshd({ authorizedKeys: b.keys.publics });
    await writeFile(b.knownHosts, [b.sshd, hop1, hop2].map((s) => s.knownHostsLine).join('\n'));
  });
  afterAll(async () => {
    await hop1?.stop();
    await hop2?.stop();
    await b?.cleanup();
  });

  it('reaches the target through one hop (-J), holding a connection open on the bastion', async () => {
    const c = new SshConnection(
      b.spec({ ansible_ssh_common_args: `-o UserKnownHostsFile=${b.knownHosts} -J root@127.0.0.1:${hop1.port}` }),
    );
    try {
      expect(await whoami(c)).toBe('root');
      expect((await hop1.children()).length).toBe(1);
      expect((await hop2.children()).length).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('reaches the target through two hops (-o ProxyJump=a,b)', async () => {
    const jumps = `root@127.0.0.1:${hop1.port},root@127.0.0.1:${hop2.port}`;
    const c = new SshConnection(
      b.spec({ ansible_ssh_common_args: `-o UserKnownHostsFile=${b.knownHosts} -o ProxyJump=${jumps}` }),
    );
    try {
      expect(c.spec.proxyJump).toEqual([`root@127.0.0.1:${hop1.port}`, `root@127.0.0.1:${hop2.port}`]);
      expect(await whoami(c)).toBe('root');
      expect((await hop1.children()).length).toBe(1);
      expect((await hop2.children()).length).toBe(1);
    } finally {
      await c.close();
    }
  });

  it('shares one bastion connection among every target of a pool behind it, and ends it with the last', async () => {
    const spec = b.spec({ ansible_ssh_common_args: `-o UserKnownHostsFile=${b.knownHosts} -J root@127.0.0.1:${hop1.port}` });
    const names = ['t1', 't2', 't3'];
    const pool = createConnectionPool({ specFor: (host) => ({ ...spec, host }) });
    try {
      const conns = await Promise.all(names.map((h) => pool.get(h)));
      const out = await Promise.all(conns.map((c) => c.exec('echo $SSH_CONNECTION')));
      expect(out.map((r) => r.rc)).toEqual([0, 0, 0]);
      expect((await hop1.children()).length).toBe(1); // one login on the bastion …
      expect((await b.sshd.children()).length).toBe(3); // … for three logins on the target
    } finally {
      await pool.closeAll();
    }
    expect(await eventually(async () => (await hop1.children()).length === 0)).toBe(true);
  });

  it('a dropped shared bastion connection fails every target through it; the next commands open one new one', async () => {
    const spec = b.spec({ ansible_ssh_common_args: `-o UserKnownHostsFile=${b.knownHosts} -J root@127.0.0.1:${hop1.port}` });
    const pool = createConnectionPool({ specFor: (host) => ({ ...spec, host }) });
    try {
      const conns = await Promise.all(['t1', 't2'].map((h) => pool.get(h)));
      await Promise.all(conns.map((c) => c.exec('true')));
      const before = await hop1.children();
      expect(before).toHaveLength(1);
      for (const pid of before) process.kill(pid, 'SIGKILL');
      expect(await eventually(async () => (await b.sshd.children()).length === 0)).toBe(true);
      const again = await Promise.all(conns.map((c) => c.exec('echo back')));
      expect(again.map((r) => r.stdout)).toEqual(['back\n', 'back\n']);
      const after = await hop1.children();
      expect(after).toHaveLength(1);
      expect(after).not.toEqual(before);
    } finally {
      await pool.closeAll();
    }
  });

  it('checks the host key of every hop: an unknown bastion key is refused, naming the jump host', async () => {
    const kh = join(b.dir, 'no_hop_known_hosts');
    await writeFile(kh, `${b.sshd.knownHostsLine}\n${hop2.knownHostsLine}\n`);
    const c = new SshConnection(
      b.spec({ ansible_ssh_common_args: `-o UserKnownHostsFile=${kh} -J root@127.0.0.1:${hop1.port}` }),
    );
    const e = (await c.connect().then(() => undefined, (x: unknown) => x)) as LifeboatError;
    expect(e).toBeInstanceOf(LifeboatError);
    expect(e.code).toBe('E_HOSTKEY');
    expect(e.message).toContain(`jump host [127.0.0.1]:${hop1.port}`);
    expect(await eventually(async () => (await hop1.children()).length === 0)).toBe(true);
  });

  it('names the bastion when the hop cannot reach the target', async () => {
    const c = new SshConnection(
      b.spec({
        ansible_port: 1, // nothing listens there
        ansible_ssh_common_args: `-o UserKnownHostsFile=${b.knownHosts} -J root@127.0.0.1:${hop1.port}`,
      }),
    );
    const e = (await c.connect().then(() => undefined, (x: unknown) => x)) as LifeboatError;
    expect(e.code).toBe('E_UNREACHABLE');
    expect(e.host).toBe('target');
    expect(e.message).toContain('127.0.0.1:1');
    expect(e.message).toContain('jump host');
  });
});
