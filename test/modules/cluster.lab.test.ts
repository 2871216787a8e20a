import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionPool } from '../../src/connection/index.js';
import type { Connection } from '../../src/connection/types.js';
import { describeLab } from '../lab/fixture.js';
import { threeRuns } from './idempotence.js';
import { labPool } from './lab-conn.js';
import { runModule } from './run.js';

/** The modules cluster playbooks (kubeasz, kubespray) use, over real SSH on a lab host; checked with Lab.sh. */
describeLab('cluster-playbook modules on a lab host', { hosts: 1, etcd: 0, masters: 0, tls: false }, (lab) => {
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
});
