import type { RunEvent, Reporter } from '../executor/events.js';
import type { MaskedWriter } from '../secrets.js';

/**
 * `--json`: one JSON event per line (schema: docs/events.md). Secrets masked as a last line of defence, in
 * every string before the event is serialised, by the writer's live SecretSet.
 */
export class NdjsonReporter implements Reporter {
  constructor(private readonly out: MaskedWriter) {}
  emit(ev: RunEvent): void {
    this.out.json(ev);
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
