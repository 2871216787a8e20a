import type { RunEvent, Reporter } from '../executor/events.js';
import { painter, type Paint } from './color.js';
import { failureDetail, fmtDuration, recapLines, shortPath, statusStyle, statusWord } from './format.js';
import type { MaskedWriter } from '../secrets.js';

export interface PlainOptions {
  /** Where every line goes, masked with the run's SecretSet. */
  out: MaskedWriter;
  color: boolean;
  /** Show stdout of successful commands too (-v). */
  verbose?: boolean;
}

/**
 * Line-by-line output for pipes and CI: no redraws. One line per play, task and host result; the failing
 * command's output under a failed host; a recap at the end.
 */
export class PlainReporter implements Reporter {
  private readonly paint: Paint;
  private playHosts = 0;

  constructor(private readonly opts: PlainOptions) {
    this.paint = painter(opts.color);
  }

  private line(text: string): void {
    this.opts.out.write(`${text}\n`);
  }

  emit(event: RunEvent): void {
    // Masked whole before it is cut into lines: a secret holding a newline would be split past its mask.
    const ev = this.opts.out.secrets.maskDeep(event);
    const p = this.paint;
    switch (ev.type) {
      case 'run_start':
        this.line(p('bold', `${ev.check ? 'PLAN' : 'RUN'} ${ev.playbook}`));
        break;
      case 'play_start':
        this.playHosts = ev.hosts.length;
        this.line('');
        this.line(p('bold', `PLAY [${ev.play}]`) + p('gray', ` ${ev.hosts.length} host(s): ${ev.hosts.join(', ')}`));
        break;
      case 'batch_start':
        // A play without `serial` has one batch of all its hosts: nothing to say.
        if (ev.batchIndex === 0 && ev.hosts.length === this.playHosts) break;
        this.line(p('gray', `  batch ${ev.batchIndex + 1}: ${ev.hosts.join(', ')}`));
        break;
      case 'task_start': {
        const where = ev.file ? p('gray', ` ${shortPath(ev.file)}${ev.line ? `:${ev.line}` : ''}`) : '';
        this.line(p('bold', `${ev.handler ? 'HANDLER' : 'TASK'} [${ev.task}]`) + where);
        break;
      }
      case 'host_result': {
        const item = ev.item !== undefined ? p('gray', ` (item=${short(ev.item)})`) : '';
        const via = ev.runOnceOf ? p('gray', ` (run_once: result of ${ev.runOnceOf})`) : ev.delegatedTo ? p('gray', ` -> ${ev.delegatedTo}`) : '';
        const word = p(statusStyle(ev), statusWord(ev).padEnd(11));
        this.line(`  ${word} ${ev.host}${via}${item} ${p('gray', fmtDuration(ev.durationMs))}`);
        if (ev.status === 'failed' || ev.status === 'unreachable') {
          for (const l of failureDetail(ev)) this.line(p(ev.ignored ? 'gray' : 'red', `      ${l}`));
        } else if (this.opts.verbose && ev.stdout) {
          for (const l of ev.stdout.trimEnd().split('\n')) this.line(p('gray', `      ${l}`));
        } else if (ev.msg && ev.status !== 'skipped') {
          for (const l of ev.msg.split('\n')) this.line(`      ${l}`);
        }
        break;
      }
      case 'host_plan': {
        const word = ev.status.padEnd(8);
        this.line(`  ${word} ${ev.host}${ev.reason ? p('gray', ` (${ev.reason})`) : ''}`);
        for (const s of ev.steps) this.line(`      ${s.destructive ? p('red', '!') : ' '} ${s.text}`);
        break;
      }
      case 'warning':
        this.line(p('yellow', `[WARNING] ${ev.host ? `${ev.host}: ` : ''}${ev.msg}`));
        break;
      case 'recap':
        this.line('');
        this.line(p('bold', `RECAP (${fmtDuration(ev.durationMs)})`));
        for (const l of recapLines(ev.hosts, p)) this.line(l);
        break;
      default:
        break;
    }
  }

  async close(): Promise<void> {}
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
