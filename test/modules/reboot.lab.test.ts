import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionPool } from '../../src/connection/index.js';
import type { Connection } from '../../src/connection/types.js';
import { describeLab } from '../lab/fixture.js';
import { labPool } from './lab-conn.js';
import { runModule } from './run.js';

/**
 * A lab host cannot really reboot (it is a pair of namespaces), so its "reboot" is a script that does what a reboot
 * does to the controller: a new boot id (in a file the test's boot_time_command reads) and every SSH session of
 * this host killed, so the connection drops and must be reopened.
 */
const FAKE_REBOOT = `#!/bin/sh
me=$(readlink /proc/self/ns/net)
cat /proc/sys/kernel/random/uuid > /run/lb-boot-id
for d in /proc/[0-9]*; do
  [ "$(readlink "$d"/ns/net 2>/dev/null)" = "$me" ] || continue
  case "$(tr '\\000' ' ' < "$d"/cmdline 2>/dev/null)" in
    "sshd: root"*) kill -9 "\${d#/proc/}" ;;
  esac
done
`;

describeLab('reboot on a lab host', { hosts: 1, etcd: 0, masters: 0, tls: false }, (lab) => {
  let pool: ConnectionPool;
  let conn: Connection;
  const sh = async (cmd: string) => {
    const r = await lab().sh('node1', cmd);
    expect(r.rc, r.stderr).toBe(0);
    return r.stdout;
  };
  const args = { reboot_command: '/root/lb-reboot.sh', boot_time_command: 'cat /run/lb-boot-id', reboot_timeout: 60, connect_timeout: 5 };
  beforeAll(async () => {
    pool = labPool(lab());
    conn = await pool.get('node1');
    await sh(`cat > /root/lb-reboot.sh <<'X'\n${FAKE_REBOOT}X\nchmod 755 /root/lb-reboot.sh; echo first-boot > /run/lb-boot-id`);
  });
  afterAll(async () => {
    await pool?.closeAll();
  });

  it('plans one destructive step and changes nothing; a command not found fails', async () => {
    const { op, result } = await runModule('reboot', args, conn, { check: true });
    expect(result.changed).toBe(true);
    expect(op.steps).toHaveLength(1);
    expect(op.steps[0]).toMatchObject({ kind: 'exec', destructive: 'reboots the host' });
    expect(await sh('cat /run/lb-boot-id')).toBe('first-boot\n');
    const none = await runModule('reboot', { ...args, reboot_command: '/nonexistent/reboot' }, conn);
    expect(none.result).toMatchObject({ failed: true, rebooted: false, msg: 'Unable to find command "/nonexistent/reboot"' });
    const plain = await runModule('reboot', {}, conn, { check: true });
    expect((plain.op.steps[0] as { cmd: string }).cmd).toMatch(/\/shutdown -r now .*Reboot initiated by Ansible/);
  });

  it('reboots: the connection drops, comes back, the boot id is new and test_command ran', async () => {
    const sessionBefore = (await conn.exec('echo $PPID')).stdout.trim();
    const { result } = await runModule('reboot', { ...args, test_command: 'test -s /run/lb-boot-id' }, conn);
    expect(result).toMatchObject({ changed: true, rebooted: true });
    expect(result.failed).toBeUndefined();
    expect(result.elapsed).toBeGreaterThanOrEqual(1);
    const id = (await sh('cat /run/lb-boot-id')).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const sessionAfter = (await conn.exec('echo $PPID')).stdout.trim();
    expect(sessionAfter).not.toBe(sessionBefore); // a new sshd session: the old one was killed
  });

  it('fails with Ansible\'s message when the host never comes back with a new boot id', async () => {
    const { result } = await runModule('reboot', { ...args, reboot_command: '/bin/true', reboot_timeout: 3 }, conn);
    expect(result).toMatchObject({ failed: true, rebooted: false, msg: 'Timed out waiting for last boot time check (timeout=3)' });
  });
});
