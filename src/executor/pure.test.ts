import { describe, expect, it } from 'vitest';
import { LifeboatError } from '../errors.js';
import { dropOmitted } from './args.js';
import { serialBatches } from './batches.js';
import { mapLimit } from './forks.js';
import { clip, plannedStep } from './output.js';
import { makeTagFilter, shouldRun } from './tags.js';
import { SecretSet } from '../secrets.js';

describe('serialBatches', () => {
  const hosts = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  it('no serial: one batch', () => expect(serialBatches(hosts, undefined)).toEqual([hosts]));
  it('a number', () => expect(serialBatches(hosts, [3])).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]));
  it('a percentage of all hosts, rounded down, at least one', () => {
    expect(serialBatches(hosts, ['30%'])).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f'], ['g']]);
    expect(serialBatches(hosts, ['1%'])).toHaveLength(7);
  });
  it('a list: the last size repeats', () => {
    expect(serialBatches(hosts, [1, '50%', 2])).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f'], ['g']]);
  });
  it('garbage is a playbook error naming the place', () => {
    const src = { file: 'p.yml', line: 3, col: 5 };
    expect(() => serialBatches(hosts, ['many'], src)).toThrow(LifeboatError);
    try {
      serialBatches(hosts, ['many'], src);
    } catch (e) {
      expect((e as LifeboatError).format()).toMatch(/^p\.yml:3:5: serial: "many" is neither a number nor a percentage/);
    }
  });
});

describe('tags', () => {
  const run = (task: string[], tags?: string[], skip?: string[]) => shouldRun(new Set(task), makeTagFilter(tags, skip));
  it('defaults: all but never', () => {
    expect(run([])).toBe(true);
    expect(run(['x'])).toBe(true);
    expect(run(['never'])).toBe(false);
    expect(run(['never', 'x'], ['x'])).toBe(true);
  });
  it('always runs unless skipped by name', () => {
    expect(run(['always'], ['other'])).toBe(true);
    expect(run(['always'], undefined, ['always'])).toBe(false);
    expect(run(['always'], undefined, ['all'])).toBe(true); // as Ansible: --skip-tags all keeps `always`
    expect(run(['x'], undefined, ['all'])).toBe(false);
  });
  it('tagged / untagged', () => {
    expect(run([], ['untagged'])).toBe(true);
    expect(run(['a'], ['untagged'])).toBe(false);
    expect(run(['a'], ['tagged'])).toBe(true);
    expect(run([], ['tagged'])).toBe(false);
    expect(run(['a'], undefined, ['tagged'])).toBe(false);
  });
  it('comma-separated lists', () => expect(run(['b'], ['a, b'])).toBe(true));
});

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([30, 1, 20, 5, 1], 2, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });
  it('empty input', async () => expect(await mapLimit([], 5, async () => 1)).toEqual([]));
});

describe('output', () => {
  it('clip masks, then cuts at a character boundary with a marker', () => {
    expect(clip('pw=hunter2', new SecretSet(['hunter2']))).toBe('pw=********');
    const s = clip('é'.repeat(10), new SecretSet(), 5);
    expect(s).toBe('éé\n… [16 more bytes cut]');
  });
  it('plannedStep: masks step secrets, hides under no_log, marks become', () => {
    const step = { kind: 'exec' as const, cmd: 'etcdctl --password=pw1 x', secrets: ['pw1'], destructive: 'wipes' };
    expect(plannedStep(step, new SecretSet(), false, true)).toEqual({ kind: 'exec', text: 'etcdctl --password=******** x', destructive: 'wipes', become: true });
    expect(plannedStep(step, new SecretSet(), true, false).text).toMatch(/hidden due to no_log/);
    expect(plannedStep({ kind: 'put', dest: '/etc/x', content: 'c', mode: 0o640, owner: 'etcd' }, new SecretSet(), false, false).text).toBe('put /etc/x (mode 0640, owner etcd)');
  });
  it('dropOmitted removes omitted keys and list items at any depth', () => {
    const O = '__omit__';
    expect(dropOmitted({ a: O, b: 1, c: { d: O, e: [1, O] } }, O)).toEqual({ b: 1, c: { e: [1] } });
  });
});
