import { describe, expect, it } from 'vitest';
import { ruleArgs } from '../../src/modules/iptables.js';
import { FakeConnection } from './fake.js';
import { planModule } from './run.js';

const cmds = (op: { steps: { kind: string; cmd?: string }[] }) => op.steps.map((s) => s.cmd ?? s.kind);
const LIST = 'Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination\n';

describe('iptables', () => {
  it("builds the rule in Ansible's order", () => {
    expect(ruleArgs({ chain: 'INPUT', protocol: 'tcp', destination_port: 6443, ctstate: ['NEW', 'ESTABLISHED'], jump: 'ACCEPT', comment: 'kube api' })).toEqual([
      '-p', 'tcp', '-j', 'ACCEPT', '--destination-port', '6443', '-m', 'conntrack', '--ctstate', 'NEW,ESTABLISHED', '-m', 'comment', '--comment', 'kube api',
    ]);
    // a list argument given as a string is split on commas, as Ansible converts it
    expect(ruleArgs({ ctstate: 'NEW,ESTABLISHED', jump: 'ACCEPT' })).toEqual(['-j', 'ACCEPT', '-m', 'conntrack', '--ctstate', 'NEW,ESTABLISHED']);
    expect(ruleArgs({ protocol: 'tcp', destination_ports: ['80', '443:445'], jump: 'DNAT', to_destination: '10.0.0.1' }).join(' ')).toBe(
      '-p tcp -j DNAT --to-destination 10.0.0.1 -m multiport --dports 80,443:445',
    );
  });
  it('present: -C decides; missing → -A (or -I n); present → nothing; absent → -D', async () => {
    const missing = new FakeConnection().on(' -L ', { stdout: LIST }).on(' -C ', { rc: 1 });
    const args = { chain: 'INPUT', protocol: 'tcp', destination_port: '2379', jump: 'ACCEPT' };
    expect(cmds(await planModule('iptables', args, missing))).toEqual(['iptables -t filter -A INPUT -p tcp -j ACCEPT --destination-port 2379']);
    expect(cmds(await planModule('iptables', { ...args, action: 'insert', rule_num: 1, ip_version: 'ipv6' }, missing))).toEqual([
      'ip6tables -t filter -I INPUT 1 -p tcp -j ACCEPT --destination-port 2379',
    ]);
    expect((await planModule('iptables', { ...args, state: 'absent' }, missing)).steps).toEqual([]);
    const there = new FakeConnection().on(' -L ', { stdout: LIST }).on(' -C ', { rc: 0 });
    expect((await planModule('iptables', args, there)).changed).toBe(false);
    expect(cmds(await planModule('iptables', { ...args, state: 'absent' }, there))).toEqual(['iptables -t filter -D INPUT -p tcp -j ACCEPT --destination-port 2379']);
  });
  it('policy from -L; flush always; a missing chain needs chain_management', async () => {
    const c = new FakeConnection().on(' -L ', { stdout: LIST });
    expect((await planModule('iptables', { chain: 'INPUT', policy: 'ACCEPT' }, c)).steps).toEqual([]);
    expect(cmds(await planModule('iptables', { chain: 'INPUT', policy: 'DROP' }, c))).toEqual(['iptables -t filter -P INPUT DROP']);
    expect(cmds(await planModule('iptables', { table: 'nat', flush: true }, c))).toEqual(['iptables -t nat -F']);
    const none = new FakeConnection().on(' -L ', { rc: 1, stderr: 'iptables: No chain/target/match by that name.' });
    await expect(planModule('iptables', { chain: 'KUBE', jump: 'RETURN' }, none)).rejects.toMatchObject({ message: expect.stringContaining('does not exist'), hint: expect.stringContaining('chain_management') });
    expect(cmds(await planModule('iptables', { chain: 'KUBE', chain_management: true }, none))).toEqual(['iptables -t filter -N KUBE']);
    const noBin = new FakeConnection().on(' -L ', { rc: 127, stderr: 'sh: 1: iptables: not found' });
    await expect(planModule('iptables', { chain: 'INPUT', jump: 'ACCEPT' }, noBin)).rejects.toThrow(/not installed/);
  });
});
