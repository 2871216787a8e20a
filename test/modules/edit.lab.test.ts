import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionPool } from '../../src/connection/index.js';
import type { Connection } from '../../src/connection/types.js';
import { describeLab } from '../lab/fixture.js';
import { threeRuns } from './idempotence.js';
import { labPool } from './lab-conn.js';
import { runModule } from './run.js';

/** blockinfile, replace, hostname, sysctl, modprobe over real SSH on a lab host; checked on the host with Lab.sh. */
describeLab('file-editing and kernel modules on a lab host', { hosts: 1, etcd: 1, masters: 0, tls: false }, (lab) => {
  let pool: ConnectionPool;
  let conn: Connection;
  const sh = async (cmd: string) => {
    const r = await lab().sh('node1', cmd);
    expect(r.rc, r.stderr).toBe(0);
    return r.stdout;
  };
  const run = (name: string, args: Record<string, unknown>, over = {}) => runModule(name, args, conn, over);
  beforeAll(async () => {
    pool = labPool(lab());
    conn = await pool.get('node1');
  });
  afterAll(async () => {
    await pool?.closeAll();
  });

  it('blockinfile: inserts after a match, updates in place, removes; each idempotent; plan changes nothing', async () => {
    await sh("printf 'a\\n[main]\\nz\\n' > /etc/lb-block.conf");
    const args = { path: '/etc/lb-block.conf', insertafter: '^\\[main\\]', block: 'x=1\ny=2' };
    const r = await threeRuns(conn, 'blockinfile', args, {
      unchanged: async () => expect(await sh('cat /etc/lb-block.conf')).toBe('a\n[main]\nz\n'),
    });
    expect(r.first.msg).toBe('Block inserted');
    expect(r.plan.diff?.[0]?.after).toContain('# BEGIN ANSIBLE MANAGED BLOCK\nx=1');
    expect(await sh('cat /etc/lb-block.conf')).toBe('a\n[main]\n# BEGIN ANSIBLE MANAGED BLOCK\nx=1\ny=2\n# END ANSIBLE MANAGED BLOCK\nz\n');
    await threeRuns(conn, 'blockinfile', { ...args, block: 'x=3' }, { unchanged: async () => expect(await sh('grep -c y=2 /etc/lb-block.conf')).toBe('1\n') });
    expect(await sh('cat /etc/lb-block.conf')).toBe('a\n[main]\n# BEGIN ANSIBLE MANAGED BLOCK\nx=3\n# END ANSIBLE MANAGED BLOCK\nz\n');
    const gone = await threeRuns(conn, 'blockinfile', { path: '/etc/lb-block.conf', state: 'absent' }, { unchanged: async () => {} });
    expect(gone.first.msg).toBe('Block removed');
    expect(await sh('cat /etc/lb-block.conf')).toBe('a\n[main]\nz\n');
    const custom = { path: '/etc/lb-new/hosts', create: true, marker: '## {mark} lifeboat', block: '10.0.0.1 a', mode: '0640' };
    await threeRuns(conn, 'blockinfile', custom, { unchanged: async () => expect(await sh('test -e /etc/lb-new/hosts || echo no')).toBe('no\n') });
    expect(await sh("cat /etc/lb-new/hosts; stat -c %a /etc/lb-new/hosts")).toBe('## BEGIN lifeboat\n10.0.0.1 a\n## END lifeboat\n640\n');
    expect((await run('blockinfile', { path: '/etc/none.conf', block: 'x' })).result).toMatchObject({ failed: true, rc: 257 });
  });

  it('ini_file: changes a commented option in place, adds a section, removes one; idempotent; plan changes nothing', async () => {
    await sh("printf '[main]\\n# gpgcheck = 0\\nname = x\\n\\n[extra]\\na = 1\\n' > /etc/lb-ini.conf");
    const r = await threeRuns(conn, 'ini_file', { path: '/etc/lb-ini.conf', section: 'main', option: 'gpgcheck', value: 1 }, {
      unchanged: async () => expect(await sh('grep -c "^# gpgcheck" /etc/lb-ini.conf')).toBe('1\n'),
    });
    expect(r.first.msg).toBe('option changed');
    await threeRuns(conn, 'ini_file', { path: '/etc/lb-ini.conf', section: 'new', option: 'k', value: 'v', no_extra_spaces: true }, { unchanged: async () => {} });
    await threeRuns(conn, 'ini_file', { path: '/etc/lb-ini.conf', section: 'extra', state: 'absent' }, { unchanged: async () => {} });
    expect(await sh('cat /etc/lb-ini.conf')).toBe('[main]\ngpgcheck = 1\nname = x\n\n[new]\nk=v\n');
    const made = await threeRuns(conn, 'community.general.ini_file', { path: '/etc/lb-ini.d/a.ini', section: 's', option: 'o', value: 'v', mode: '0600' }, {
      unchanged: async () => expect(await sh('test -e /etc/lb-ini.d/a.ini || echo no')).toBe('no\n'),
    });
    expect(made.first.msg).toBe('section and option added');
    expect(await sh('cat /etc/lb-ini.d/a.ini; stat -c %a /etc/lb-ini.d/a.ini')).toBe('\n[s]\no = v\n600\n');
    expect((await run('ini_file', { path: '/etc/none.ini', section: 's', option: 'o', value: 'v', create: false })).result).toMatchObject({ failed: true, rc: 257 });
  });

  it('cron: a job in /etc/cron.d and in root\'s crontab, changed in place, removed; idempotent; plan changes nothing', async () => {
    const args = { name: 'etcd backup', minute: 5, hour: '*/6', job: '/usr/local/bin/backup >> /var/log/b.log 2>&1', user: 'root', cron_file: 'lb-backup' };
    const r = await threeRuns(conn, 'cron', args, { unchanged: async () => expect(await sh('test -e /etc/cron.d/lb-backup || echo no')).toBe('no\n') });
    expect(r.first).toMatchObject({ changed: true, jobs: ['etcd backup'] });
    expect(await sh('cat /etc/cron.d/lb-backup; stat -c %a /etc/cron.d/lb-backup')).toBe('#Ansible: etcd backup\n5 */6 * * * root /usr/local/bin/backup >> /var/log/b.log 2>&1\n644\n');
    await threeRuns(conn, 'cron', { ...args, hour: 3 }, { unchanged: async () => expect(await sh('grep -c "\\*/6" /etc/cron.d/lb-backup')).toBe('1\n') });
    await threeRuns(conn, 'cron', { name: 'etcd backup', cron_file: 'lb-backup', state: 'absent' }, { unchanged: async () => {} });
    expect(await sh('test -e /etc/cron.d/lb-backup || echo gone')).toBe('gone\n'); // no job left: the file goes, as in Ansible
    // root's own crontab, through crontab(1)
    await sh('crontab -r 2>/dev/null; true');
    await threeRuns(conn, 'cron', { name: 'sweep', special_time: 'daily', job: '/bin/true' }, { unchanged: async () => expect(await sh('crontab -l 2>/dev/null || echo none')).toBe('none\n') });
    expect(await sh('crontab -l')).toBe('#Ansible: sweep\n@daily /bin/true\n');
    await threeRuns(conn, 'cron', { name: 'sweep', state: 'absent' }, { unchanged: async () => {} });
    expect(await sh('crontab -l')).toBe('');
  });

  it('replace: every match, back-references, between after/before; second run no change', async () => {
    await sh("printf 'server a:80\\n# begin\\nserver b:80\\nserver c:80\\n# end\\nserver d:80\\n' > /etc/lb-rep.conf");
    const args = { path: '/etc/lb-rep.conf', regexp: '^server (\\w+):80$', replace: 'server \\1:8080', after: '# begin', before: '# end' };
    const r = await threeRuns(conn, 'replace', args, { unchanged: async () => expect(await sh('grep -c :8080 /etc/lb-rep.conf || true')).toBe('0\n') });
    expect(r.first.msg).toBe('2 replacements made');
    expect(await sh('cat /etc/lb-rep.conf')).toBe('server a:80\n# begin\nserver b:8080\nserver c:8080\n# end\nserver d:80\n');
    expect((await run('replace', { path: '/etc/nope', regexp: 'x' })).result).toMatchObject({ failed: true });
  });

  it('hostname: now and in /etc/hostname; facts returned; second run no change', async () => {
    const r = await threeRuns(conn, 'hostname', { name: 'lb-renamed.example' }, {
      unchanged: async () => expect(await sh('hostname; cat /etc/hostname')).toBe('node1\nnode1\n'),
    });
    expect(r.second.result.ansible_facts).toMatchObject({ ansible_hostname: 'lb-renamed', ansible_domain: 'example' });
    expect(await sh('hostname; cat /etc/hostname')).toBe('lb-renamed.example\nlb-renamed.example\n');
    await threeRuns(conn, 'hostname', { name: 'node1' }, { unchanged: async () => {} });
  });

  it('timezone: /etc/localtime and /etc/timezone, hwclock in /etc/adjtime; the zone the date shows; idempotent; unknown zone fails', async () => {
    const before = await sh('readlink /etc/localtime; cat /etc/timezone; test -e /etc/adjtime || echo no-adjtime');
    expect(before).not.toContain('Europe/Berlin');
    const r = await threeRuns(conn, 'community.general.timezone', { name: 'Europe/Berlin', hwclock: 'local' }, {
      unchanged: async () => expect(await sh('readlink /etc/localtime; cat /etc/timezone; test -e /etc/adjtime || echo no-adjtime')).toBe(before),
    });
    expect(r.plan.diff?.[0]?.after).toBe('name = Europe/Berlin\nhwclock = local\n');
    expect(r.second.result.diff).toEqual({ before: { name: 'Europe/Berlin', hwclock: 'local' }, after: { name: 'Europe/Berlin', hwclock: 'local' } });
    expect(await sh('readlink /etc/localtime; cat /etc/timezone; sed -n 3p /etc/adjtime; date -d @0 +%Z')).toBe(
      '/usr/share/zoneinfo/Europe/Berlin\nEurope/Berlin\nLOCAL\nCET\n',
    );
    // a host that keeps a copy instead of a symlink gets a copy
    await sh('cp --remove-destination /usr/share/zoneinfo/Asia/Tokyo /etc/localtime');
    await threeRuns(conn, 'timezone', { name: 'UTC', hwclock: 'UTC' }, { unchanged: async () => expect(await sh('date -d @0 +%Z')).toBe('JST\n') });
    expect(await sh('test -L /etc/localtime || echo copy; cmp /etc/localtime /usr/share/zoneinfo/UTC && echo same; cat /etc/timezone; sed -n 3p /etc/adjtime')).toBe(
      'copy\nsame\nUTC\nUTC\n',
    );
    const bad = await run('timezone', { name: 'Mars/Olympus' });
    expect(bad.result).toMatchObject({ failed: true, msg: 'given timezone "Mars/Olympus" is not available' });
    await sh(`ln -sfn ${before.split('\n')[0]} /etc/localtime`);
  });

  it('sysctl: file line, sysctl_set applies now (the host has its own network namespace), absent removes', async () => {
    await sh("sysctl -w net.ipv4.ip_forward=0 >/dev/null; printf '# keep\\nnet.ipv4.ip_forward = 0\\nnet.ipv4.ip_forward=0\\n' > /etc/sysctl.d/90-lb.conf");
    const args = { name: 'net.ipv4.ip_forward', value: '1', sysctl_file: '/etc/sysctl.d/90-lb.conf', sysctl_set: true };
    await threeRuns(conn, 'sysctl', args, { unchanged: async () => expect(await sh('sysctl -n net.ipv4.ip_forward')).toBe('0\n') });
    expect(await sh('cat /etc/sysctl.d/90-lb.conf; sysctl -n net.ipv4.ip_forward')).toBe('# keep\nnet.ipv4.ip_forward=1\n1\n');
    // reload (default): a file change is applied with sysctl -p
    const ttl = { name: 'net.ipv4.ip_default_ttl', value: 77, sysctl_file: '/etc/sysctl.d/90-lb.conf' };
    await threeRuns(conn, 'sysctl', ttl, { unchanged: async () => expect(await sh('sysctl -n net.ipv4.ip_default_ttl')).not.toBe('77\n') });
    expect(await sh('sysctl -n net.ipv4.ip_default_ttl')).toBe('77\n');
    await threeRuns(conn, 'sysctl', { name: 'net.ipv4.ip_default_ttl', state: 'absent', sysctl_file: '/etc/sysctl.d/90-lb.conf' }, { unchanged: async () => {} });
    expect(await sh('cat /etc/sysctl.d/90-lb.conf')).toBe('# keep\nnet.ipv4.ip_forward=1\n');
    expect((await run('sysctl', { name: 'net.no.such.key', value: '1', sysctl_file: '/etc/sysctl.d/90-lb.conf' })).result).toMatchObject({ failed: true });
  });

  it('modprobe: persistence files (this machine has no loadable modules: loading is planned, not run)', async () => {
    const args = { name: 'br_netfilter', state: 'absent', persistent: 'present', params: 'foo=1' };
    await threeRuns(conn, 'modprobe', args, { unchanged: async () => expect(await sh('ls /etc/modules-load.d/')).not.toContain('br_netfilter') });
    expect(await sh('cat /etc/modules-load.d/br_netfilter.conf /etc/modprobe.d/br_netfilter.conf')).toBe('br_netfilter\noptions br_netfilter foo=1\n');
    await threeRuns(conn, 'modprobe', { name: 'br_netfilter', state: 'absent', persistent: 'absent' }, { unchanged: async () => {} });
    expect(await sh('ls /etc/modules-load.d/ /etc/modprobe.d/')).not.toContain('br_netfilter');
    const plan = await run('modprobe', { name: 'overlay' }, { check: true });
    expect(plan.op.steps.map((s) => (s.kind === 'exec' ? s.cmd : ''))).toEqual(['modprobe overlay']);
  });

  it('pam_limits: replaces the same domain/type/item line, appends otherwise; use_max keeps a larger value', async () => {
    await sh("mkdir -p /etc/security && printf '# limits\\n*  soft  nofile  1024\\n' > /etc/security/limits.conf");
    const args = { domain: '*', limit_type: 'soft', limit_item: 'nofile', value: 65536 };
    await threeRuns(conn, 'pam_limits', args, { unchanged: async () => expect(await sh('cat /etc/security/limits.conf')).toContain('1024') });
    expect(await sh('cat /etc/security/limits.conf')).toBe('# limits\n*\tsoft\tnofile\t65536\n');
    await threeRuns(conn, 'community.general.pam_limits', { domain: 'etcd', limit_type: '-', limit_item: 'nproc', value: 'unlimited' }, { unchanged: async () => {} });
    expect(await sh('tail -n1 /etc/security/limits.conf')).toBe('etcd\t-\tnproc\tunlimited\n');
    expect((await run('pam_limits', { ...args, value: 4096, use_max: true })).op.steps).toEqual([]);
  });

  it('service_facts: the init scripts and their state; selinux on Debian is a no-op; daemon_reload needs systemd', async () => {
    const f = await run('service_facts', {});
    const services = (f.result.ansible_facts as { services: Record<string, { state: string; source: string }> }).services;
    expect(services.etcd).toMatchObject({ name: 'etcd', state: 'running', source: 'sysv' });
    await sh('service etcd stop');
    const after = (await run('service_facts', {})).result.ansible_facts as { services: Record<string, { state: string }> };
    expect(after.services.etcd?.state).toBe('stopped');
    await sh('service etcd start');
    const se = await run('ansible.posix.selinux', { state: 'disabled' });
    expect(se.result).toMatchObject({ changed: false, msg: expect.stringContaining('not present') });
    expect(se.op.steps).toEqual([]);
    expect((await run('selinux', { state: 'enforcing', policy: 'targeted' })).result).toMatchObject({ failed: true });
    await expect(run('service', { name: 'etcd', state: 'started', daemon_reload: true })).rejects.toThrow(/daemon_reload needs systemd/);
  });

  it('setype/seuser on file and copy (kubespray kubelet.env): a host without SELinux changes nothing for them', async () => {
    await sh('rm -f /etc/lb-se.env');
    const r = await threeRuns(conn, 'copy', { content: 'A=1\n', dest: '/etc/lb-se.env', setype: 'etc_t', seuser: 'system_u' }, {
      unchanged: async () => expect(await sh('test -e /etc/lb-se.env || echo no')).toBe('no\n'),
    });
    expect(r.first.changed).toBe(true);
    expect(await sh('cat /etc/lb-se.env; ls -Z /etc/lb-se.env | cut -d" " -f1')).toBe('A=1\n?\n');
    const f = await run('file', { path: '/etc/lb-se.env', state: 'file', setype: 'etc_t' });
    expect([f.result.changed, f.op.steps]).toEqual([false, []]);
  });

  it("yum_repository: the same file as Ansible's module writes (ansible-core 2.14 on the same arguments), idempotent, absent removes", async () => {
    await sh('rm -rf /etc/lb-yum && mkdir -p /etc/lb-yum');
    const k8s = {
      name: 'kubernetes', description: 'Kubernetes repo', baseurl: 'https://pkgs.k8s.io/core:/stable:/v1.31/rpm/', enabled: true, gpgcheck: true,
      repo_gpgcheck: false, gpgkey: ['https://a/key', 'https://b/key'], skip_if_unavailable: true, priority: 5, exclude: ['kube*', 'cri-o'],
      reposdir: '/etc/lb-yum', file: 'k8s',
    };
    await threeRuns(conn, 'yum_repository', k8s, { unchanged: async () => expect(await sh('ls /etc/lb-yum | wc -l')).toBe('0\n') });
    await threeRuns(conn, 'yum_repository', { name: 'other', description: 'Other', mirrorlist: 'http://m', reposdir: '/etc/lb-yum', file: 'k8s' }, { unchanged: async () => {} });
    // what `ansible localhost -m yum_repository` wrote for the same two tasks, byte for byte
    expect(await sh('cat /etc/lb-yum/k8s.repo')).toBe(
      '[kubernetes]\nbaseurl = https://pkgs.k8s.io/core:/stable:/v1.31/rpm/\nenabled = 1\nexclude = kube* cri-o\ngpgcheck = 1\ngpgkey = https://a/key\n\thttps://b/key\n' +
        'name = Kubernetes repo\npriority = 5\nrepo_gpgcheck = 0\nskip_if_unavailable = 1\n\n[other]\nmirrorlist = http://m\nname = Other\n\n',
    );
    // comments and key order alone are no change (Ansible compares the parsed, sorted sections)
    await sh("sed -i '1i # managed' /etc/lb-yum/k8s.repo");
    expect((await run('yum_repository', k8s)).op.steps).toEqual([]);
    await threeRuns(conn, 'yum_repository', { name: 'kubernetes', state: 'absent', reposdir: '/etc/lb-yum', file: 'k8s' }, { unchanged: async () => {} });
    expect(await sh('cat /etc/lb-yum/k8s.repo')).toBe('[other]\nmirrorlist = http://m\nname = Other\n\n');
    const last = await threeRuns(conn, 'yum_repository', { name: 'other', state: 'absent', reposdir: '/etc/lb-yum', file: 'k8s' }, { unchanged: async () => {} });
    expect(last.plan.steps[0]).toMatchObject({ destructive: 'deletes /etc/lb-yum/k8s.repo' });
    expect(await sh('ls /etc/lb-yum | wc -l')).toBe('0\n');
    await expect(run('yum_repository', { name: 'x', description: 'X' })).rejects.toThrow(/'baseurl', 'metalink' or 'mirrorlist' is required/);
  });
});
