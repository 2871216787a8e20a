import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshConnection } from '../../src/connection/ssh-connection.js';
import { LifeboatError } from '../../src/errors.js';
import { type Bench, sshdSkipReason, startBench, sudoSkipReason } from './setup.js';
import { TEST_PASSWORD, TEST_USER } from './sshd.js';

const skip = sshdSkipReason() ?? sudoSkipReason();
if (skip) console.warn(`connection become tests skipped: ${skip}`);

describe.skipIf(skip)('become (sudo with a password) over a real sshd', () => {
  let b: Bench;
  const as = (vars: Record<string, unknown>) => new SshConnection(b.spec({ ansible_user: TEST_USER, ...vars }));
  beforeAll(async () => {
    b = await startBench();
  });
  afterAll(async () => {
    await b?.cleanup();
  });

  it('runs as root through sudo with the right password; stdin reaches the command; the password appears nowhere', async () => {
    const c = as({ ansible_become_password: TEST_PASSWORD });
    try {
      expect((await c.exec('id -un')).stdout).toBe(`${TEST_USER}\n`);
      const seen: string[] = [];
      const r = await c.exec('id -un; cat; ps -eo args', {
        become: true,
        stdin: 'from stdin\n',
        onStdout: (x) => seen.push(x.toString()),
        onStderr: (x) => seen.push(x.toString()),
      });
      expect(r.rc).toBe(0);
      expect(r.stdout.startsWith('root\nfrom stdin\n')).toBe(true);
      // The marker line sudo's command prints first is taken out of the output.
      expect(r.stdout.split('\n').some((l) => /^LIFEBOAT-BECOME-OK-[0-9a-f]+$/.test(l))).toBe(false);
      for (const text of [r.stdout, r.stderr, seen.join('')]) expect(text).not.toContain(TEST_PASSWORD);
      // The process list shows the sudo command line: no password in it either.
      expect(r.stdout).toContain('sudo -S -p');
    } finally {
      await c.close();
    }
  });

  it('becomes another user (becomeUser) and keeps env values quoted', async () => {
    const c = as({ ansible_become_password: TEST_PASSWORD, ansible_become: true, ansible_become_user: 'nobody' });
    try {
      const r = await c.exec('id -un; printf "%s" "$V"', { env: { V: "a'b; id" } });
      expect(r.stdout).toBe("nobody\na'b; id");
    } finally {
      await c.close();
    }
  });

  it('a wrong password fails with E_BECOME, without echoing the password', async () => {
    const c = as({ ansible_become_password: 'not-the-password' });
    try {
      const e = (await c.exec('id -un', { become: true }).then(() => undefined, (x: unknown) => x)) as LifeboatError;
      expect(e).toBeInstanceOf(LifeboatError);
      expect(e.code).toBe('E_BECOME');
      expect(e.host).toBe('target');
      expect(e.message).toContain('refused');
      expect(e.format()).not.toContain('not-the-password');
      // The connection is still good afterwards.
      expect((await c.exec('echo fine')).stdout).toBe('fine\n');
    } finally {
      await c.close();
    }
  });

  it('no password when sudo asks for one fails with E_BECOME saying what to set', async () => {
    const c = as({});
    try {
      const e = (await c.exec('id -un', { become: true }).then(() => undefined, (x: unknown) => x)) as LifeboatError;
      expect(e.code).toBe('E_BECOME');
      expect(e.hint).toContain('ansible_become_password');
    } finally {
      await c.close();
    }
  });

  it('sudo that does not start the command within the become timeout fails with E_BECOME', async () => {
    // A PAM stack that stalls (pam_exec sleep) keeps sudo from ever starting the command.
    const other = await startBench({
      pamSudo: '#%PAM-1.0\nauth required pam_exec.so /bin/sleep 8\n@include common-auth\n@include common-account\n',
    });
    const c = new SshConnection(
      other.spec({ ansible_user: TEST_USER, ansible_become_password: TEST_PASSWORD }, { becomeTimeoutMs: 500 }),
    );
    try {
      const e = (await c.exec('id -un', { become: true }).then(() => undefined, (x: unknown) => x)) as LifeboatError;
      expect(e).toBeInstanceOf(LifeboatError);
      expect(e.code).toBe('E_BECOME');
      expect(e.message).toContain('within 500 ms');
      expect(e.format()).not.toContain(TEST_PASSWORD);
    } finally {
      await c.close();
      await other.cleanup();
    }
  });

  it('a user already root runs directly, without sudo', async () => {
    const c = new SshConnection(b.spec({ ansible_become: true }));
    try {
      const r = await c.exec('ps -o args= -p $PPID; id -un');
      expect(r.stdout).not.toContain('sudo');
      expect(r.stdout.endsWith('root\n')).toBe(true);
    } finally {
      await c.close();
    }
  });
});
