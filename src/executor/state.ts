import type { Vars } from '../inventory/types.js';
import type { ResumeHint, Step } from '../modules/types.js';
import type { HostCounts } from './events.js';

export function zeroCounts(): HostCounts {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 };
}

/** What the run remembers across plays: counts, facts, registered results, hosts that dropped out. */
export class RunState {
  readonly counts = new Map<string, HostCounts>();
  /** Gathered facts (setup and other fact modules), per host: `ansible_facts` and `ansible_*` variables. */
  readonly gathered = new Map<string, Vars>();
  /** `register` results and `set_fact` values, per host (one precedence level, as Ansible). */
  readonly registered = new Map<string, Vars>();
  /** Hosts whose task failed (not ignored, not rescued): out for the rest of the run. */
  readonly failed = new Set<string>();
  /** Hosts that became unreachable (not ignored, not rescued): out for the rest of the run. */
  readonly unreachable = new Set<string>();
  /** Set by any_errors_fatal / max_fail_percentage: no new task starts, anywhere. */
  stopped = false;
  /** `--start-at-task`: false until the named task is reached. */
  started: boolean;
  /** An input problem found while running (unknown handler, bad start-at-task): exit code 4. */
  invalidInput = false;
  /** apply: a host was about to run steps the reviewed plan did not show (exit code 5). */
  stale = false;
  /** Set by a module's Operation.resume: how to continue this run if it ends early. */
  resume: ResumeHint | undefined;
  /** Plan mode: the steps planned so far on each host (for ModuleContext.earlierSteps). */
  readonly planned = new Map<string, Step[]>();

  constructor(startAtTask: string | undefined) {
    this.started = startAtTask === undefined;
  }

  count(host: string, key: keyof HostCounts, n = 1): void {
    let c = this.counts.get(host);
    if (!c) {
      c = { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 };
      this.counts.set(host, c);
    }
    c[key] += n;
  }

  hostGathered(host: string): Vars {
    let f = this.gathered.get(host);
    if (!f) {
      f = {};
      this.gathered.set(host, f);
    }
    return f;
  }

  /** Plan mode: the steps planned on `host` so far, in order. */
  plannedOn(host: string): Step[] {
    let p = this.planned.get(host);
    if (!p) {
      p = [];
      this.planned.set(host, p);
    }
    return p;
  }

  hostRegistered(host: string): Vars {
    let r = this.registered.get(host);
    if (!r) {
      r = {};
      this.registered.set(host, r);
    }
    return r;
  }

  /** Out of the run: failed or unreachable. */
  isDown(host: string): boolean {
    return this.failed.has(host) || this.unreachable.has(host);
  }
}
