/**
 * `npm run bench -- engine` — engine overhead on the lab (bench/engine.ts): Lifeboat vs the raw-ssh2 floor, the
 * OpenSSH ControlMaster floor and Ansible.
 *   npm run bench -- engine --tasks 20 --hosts 10 --repeat 5 [--no-ansible]
 * Needs root and the lab's packages (test/lab); says why and exits 0 where the lab cannot run.
 */
import { parseArgs } from 'node:util';
import { labSupport, startLab } from '../test/lab/index.js';
import { benchEngine } from './engine.js';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      tasks: { type: 'string', default: '20' },
      hosts: { type: 'string', default: '10' },
      repeat: { type: 'string', default: '5' },
      'no-ansible': { type: 'boolean', default: false },
    },
  });
  const tasks = Number(values.tasks);
  const hosts = Number(values.hosts);
  const repeat = Number(values.repeat);
  const support = labSupport();
  if (!support.ok) {
    console.log(`bench skipped: the lab cannot run here (${support.why})`);
    return;
  }
  const lab = await startLab({ hosts, etcd: 0, masters: 0, tls: false });
  try {
    const r = await benchEngine(lab, { tasks, repeat, ansible: !values['no-ansible'] });
    const n = r.tasks * r.hosts;
    const line = (name: string, ms: number) => `${name.padEnd(40)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / r.tasks).toFixed(1).padStart(6)} ms/task`;
    console.log(`engine: ${r.tasks} × command: /bin/true on ${r.hosts} lab hosts (${n} host-tasks), median of ${repeat}`);
    console.log(line('floor: raw ssh2 exec, hosts apart', r.floorMs));
    console.log(line('SshConnection.exec, hosts apart', r.connectionMs));
    console.log(line('SshConnection.exec, hosts in lockstep', r.lockstepMs));
    console.log(line('lifeboat (engine, linear strategy)', r.lifeboatMs));
    console.log(line('OpenSSH ControlMaster, one ssh per command', r.controlMasterMs));
    console.log(`engine overhead over lockstep: ${(((r.lifeboatMs - r.lockstepMs) / n) * 1000).toFixed(0)} µs per host-task`);
    const ratio = r.lifeboatMs / r.floorMs;
    console.log(`lifeboat / floor: ${ratio.toFixed(2)}× (target ≤ 1.5×)${ratio <= 1.5 ? '' : '  ← over target'}`);
    const cm = r.lifeboatMs / r.controlMasterMs;
    console.log(`lifeboat / ControlMaster floor: ${cm.toFixed(2)}× (target ≤ 0.5×)${cm <= 0.5 ? '' : '  ← over target'}`);
    if (r.ansibleMs !== undefined) {
      console.log(line('ansible-playbook (pipelining, 1 run)', r.ansibleMs));
      console.log(`ansible / lifeboat: ${(r.ansibleMs / r.lifeboatMs).toFixed(1)}×`);
    } else if (!values['no-ansible']) console.log('ansible-playbook: not installed; skipped');
    if (r.failures.length) console.log(`WARNING: ${r.failures.length} task results were not "changed", e.g. ${r.failures[0]}`);
  } finally {
    await lab.stop();
  }
}

