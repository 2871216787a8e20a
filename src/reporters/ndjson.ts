import type { RunEvent, Reporter } from '../executor/events.js';
import { makeMasker, maskValue } from './mask.js';

/** `--json`: one JSON event per line (schema: docs/events.md). Secrets masked as a last line of defence. */
export class NdjsonReporter implements Reporter {
  private readonly mask: (t: string) => string;
  constructor(
    private readonly out: NodeJS.WritableStream,
    secrets: readonly string[] = [],
  ) {
    this.mask = makeMasker(secrets);
  }
  emit(ev: RunEvent): void {
    this.out.write(`${JSON.stringify(maskValue(ev, this.mask))}\n`);
  }
  async close(): Promise<void> {}
}

/** Sends every event to several reporters (e.g. NDJSON on stdout and the human view on stderr). */
export class TeeReporter implements Reporter {
  constructor(private readonly reporters: Reporter[]) {}
  emit(ev: RunEvent): void {
    for (const r of this.reporters) r.emit(ev);
  }
  async close(): Promise<void> {
    for (const r of this.reporters) await r.close();
  }
}

/** Keeps every event (used by the planner and by tests). */
export class CollectReporter implements Reporter {
  readonly events: RunEvent[] = [];
  emit(ev: RunEvent): void {
    this.events.push(ev);
  }
  async close(): Promise<void> {}
}
