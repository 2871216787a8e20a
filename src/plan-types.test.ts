import { describe, expect, it } from 'vitest';
import { type PlanReason, reasonString } from './plan-types.js';

describe('plan reasons', () => {
  it('words every kind as the plan and event `reason` always said it', () => {
    const cases: Array<[PlanReason, string]> = [
      [{ kind: 'when-false', expr: "inventory_hostname == 'h9'" }, "Conditional result was False: inventory_hostname == 'h9'"],
      [{ kind: 'failed', message: 'etcd version too old' }, 'etcd version too old'],
      [{ kind: 'unreachable', message: 'cannot connect to h1' }, 'unreachable: cannot connect to h1'],
      [{ kind: 'unknown-value', variable: 'out', source: 'register' }, 'depends on register `out`, unknown until run'],
      [{ kind: 'unknown-value', variable: 'ansible_os_family', source: 'fact' }, 'depends on fact `ansible_os_family`, unknown until run'],
      [{ kind: 'unknown-value', variable: 'r', source: 'register', in: 'loop' }, 'loop depends on register `r`, unknown until run'],
      [{ kind: 'unknown-value', variable: 'r', source: 'register', in: 'changed_when' }, 'changed_when depends on register `r`, unknown until run'],
      [{ kind: 'cannot-tell' }, 'the module cannot tell before running whether it changes anything'],
      [{ kind: 'offline' }, 'offline: the module needs to look at the host'],
      [{ kind: 'run-once', on: 'h1' }, 'run_once: runs on h1, result given to every host'],
      [{ kind: 'maybe-notified' }, 'runs only if a notifying task reports a change (unknown until run)'],
    ];
    expect(cases.map(([r]) => reasonString(r))).toEqual(cases.map(([, s]) => s));
  });

});
