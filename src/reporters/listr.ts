import type { ListrTaskWrapper, ProcessOutput } from 'listr2';
import type { RunEvent, Reporter } from '../executor/events.js';
import { painter, type Paint } from './color.js';
import { failureDetail, fmtDuration, recapLines, statusWord } from './format.js';
import type { MaskedWriter } from '../secrets.js';

type HostResult = Extract<RunEvent, { type: 'host_result' }>;

interface TopRef {
  task?: { title: string };
  durationMs?: number;
}

interface HostSlot {
  results: HostResult[];
  done: () => void;
  finished: Promise<void>;
}

/**
 * The terminal view: one listr2 task list per Lifeboat task, with one line per host (spinner, duration,
 * changed/failed), collapsed when done; the failing command's stderr shown under the failed host.
 * Everything is written to `out` (stderr when --json puts events on stdout).
 */
export class ListrReporter implements Reporter {
  private readonly paint: Paint;
  private readonly mask: (t: string) => string;
  /** listr2 is loaded only when this view is used (a plain, NDJSON or non-terminal run never loads it). */
  private readonly lib: Promise<typeof import('listr2')>;
  private output: ProcessOutput | undefined;
  private chain: Promise<void>;
  private slots = new Map<string, HostSlot>();
  private top: TopRef = {};

  /** `out` masks what this reporter writes; listr2 draws on its rendererStream(), which masks too. */
  constructor(
    private readonly out: MaskedWriter,
    color: boolean,
  ) {
    this.paint = painter(color);
    this.mask = (t) => out.secrets.mask(t);
    this.lib = import('listr2');
    this.chain = this.lib.then((l) => {
      const stream = out.rendererStream();
      this.output = new l.ProcessOutput(stream, stream, { dump: [], leaveEmptyLine: false });
    });
  }

  private write(text: string): void {
    const masked = this.mask(text);
    this.chain = this.chain.then(() => {
      this.out.write(`${masked}\n`);
    });
  }

  emit(event: RunEvent): void {
    // Masked whole before it is cut into lines: a secret holding a newline would be split past its mask.
    const ev = this.out.secrets.maskDeep(event);
    const p = this.paint;
    switch (ev.type) {
      case 'play_start':
        this.write(p('bold', `\nPLAY [${ev.play}] `) + p('gray', `${ev.hosts.length} host(s)`));
        break;
      case 'task_start':
        this.startTask(ev.task, ev.hosts, ev.handler === true);
        break;
      case 'host_result': {
        const slot = this.slots.get(ev.host);
        if (slot) slot.results.push(ev);
        break;
      }
      case 'task_end':
        this.top.durationMs = ev.durationMs;
        for (const s of this.slots.values()) s.done();
        this.slots = new Map();
        break;
      case 'warning':
        this.write(p('yellow', `[WARNING] ${ev.host ? `${ev.host}: ` : ''}${ev.msg}`));
        break;
      case 'recap':
        this.write(p('bold', `\nRECAP (${fmtDuration(ev.durationMs)})`));
        for (const l of recapLines(ev.hosts, p)) this.write(l);
        break;
      default:
        break;
    }
  }

  private startTask(title: string, hosts: string[], handler: boolean): void {
    const top: TopRef = {};
    const slots = new Map<string, HostSlot>();
    for (const h of hosts) {
      let done!: () => void;
      const finished = new Promise<void>((r) => {
        done = r;
      });
      slots.set(h, { results: [], done, finished });
    }
    this.slots = slots;
    this.top = top;
    const mask = this.mask;
    const paint = this.paint;
    const heading = mask(`${handler ? 'HANDLER' : 'TASK'} [${title}]`);
    this.chain = this.chain
      .then(() => this.lib)
      .then(({ Listr, ListrLogger }) => {
        const list = new Listr(
          [
            {
              title: heading,
              task: (_ctx, task) => {
                top.task = task;
                return task.newListr(
                  hosts.map((h) => ({
                    title: mask(h),
                    task: async (_c: unknown, t: ListrTaskWrapper<unknown, never, never>) => {
                      const slot = slots.get(h) as HostSlot;
                      await slot.finished;
                      // The task's real wall time (the view may draw a little after the work is done).
                      if (top.task && top.durationMs !== undefined)
                        top.task.title = `${heading} ${paint('gray', fmtDuration(top.durationMs))}`;
                      settleHost(t, h, slot.results, mask, paint);
                    },
                  })),
                  { concurrent: true, exitOnError: false },
                );
              },
            },
          ],
          {
            exitOnError: false,
            registerSignalListeners: false,
            renderer: 'default',
            rendererOptions: {
              collapseSubtasks: true,
              logger: new ListrLogger({ processOutput: this.output as ProcessOutput }),
            },
          },
        );
        return list.run().then(
          () => undefined,
          () => undefined,
        );
      });
  }

  async close(): Promise<void> {
    for (const s of this.slots.values()) s.done();
    await this.chain;
  }
}

function settleHost(
  t: ListrTaskWrapper<unknown, never, never>,
  host: string,
  results: HostResult[],
  mask: (s: string) => string,
  paint: Paint,
): void {
  const last = results[results.length - 1];
  if (!last) {
    t.skip(mask(`${host}: not run`));
    return;
  }
  const failed = results.find((r) => (r.status === 'failed' && !r.ignored) || r.status === 'unreachable');
  const changed = results.some((r) => r.changed);
  if (failed) throw new Error(mask([`${host}: ${statusWord(failed)}`, ...failureDetail(failed)].join('\n')));
  if (results.every((r) => r.status === 'skipped')) {
    t.skip(mask(`${host}: skipped`));
    return;
  }
  const word = changed ? paint('yellow', 'changed') : paint('green', 'ok');
  const ms = results.reduce((a, r) => a + r.durationMs, 0);
  t.title = mask(`${host} ${word} ${paint('gray', fmtDuration(ms))}`);
}
