import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../executor/events.js';
import { MaskedWriter, SecretSet } from '../secrets.js';
import { createReporter, ListrReporter, NdjsonReporter, PlainReporter } from './index.js';

const EARLY = ['Ab"c\\d-XYZ', 'a.*b$[x](y)|z^+?', 'pass-abc', 'pass-abc-longer'];
const LATE = 'late\nsecret-42';
const ts = '2026-01-01T00:00:00.000Z';

/** Every secret in every string a reporter prints: task names, host results, failure output, warnings. */
function events(s: string): RunEvent[] {
  return [
    { type: 'run_start', ts, v: 1, playbook: 'pb.yml', check: false },
    { type: 'play_start', ts, play: `play ${s}`, playIndex: 0, hosts: ['n1'] },
    { type: 'task_start', ts, play: 'p', task: `task ${s}`, taskId: 't1', file: 'pb.yml', line: 4, hosts: ['n1'] },
    { type: 'host_result', ts, taskId: 't1', task: 't', host: 'n1', status: 'ok', changed: false, durationMs: 1, stdout: `out ${s}`, msg: `msg ${s}` },
    { type: 'host_result', ts, taskId: 't1', task: 't', host: 'n1', status: 'failed', changed: false, durationMs: 1, rc: 3, stderr: `err ${s}`, msg: `failed ${s}` },
    { type: 'warning', ts, msg: `warn ${s}`, host: 'n1' },
    { type: 'task_end', ts, taskId: 't1', task: 't', durationMs: 2 },
    { type: 'recap', ts, durationMs: 3, exitCode: 2, hosts: { n1: { ok: 1, changed: 0, failed: 1, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 } } },
  ];
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

const KINDS = {
  plain: (w: MaskedWriter) => new PlainReporter({ out: w, color: false }),
  'plain -v': (w: MaskedWriter) => new PlainReporter({ out: w, color: false, verbose: true }),
  listr: (w: MaskedWriter) => new ListrReporter(w, false),
  ndjson: (w: MaskedWriter) => new NdjsonReporter(w),
  'createReporter --json': (w: MaskedWriter) => createReporter({ json: true, output: 'plain', env: {}, stdout: w, stderr: w }),
};

describe('every reporter masks with the SecretSet it was given, live', () => {
  for (const [kind, make] of Object.entries(KINDS)) {
    it(`${kind}: early secrets, and one added after the reporter was built`, async () => {
      const secrets = new SecretSet(EARLY);
      const { stream, text } = sink();
      const r = make(new MaskedWriter(stream, secrets));
      for (const s of EARLY) for (const e of events(s)) r.emit(e);
      secrets.add(LATE); // a `secret` variable found mid-run
      for (const e of events(LATE)) r.emit(e);
      await r.close();
      const out = text();
      for (const s of [...EARLY, LATE]) expect(out).not.toContain(s);
      for (const piece of ['XYZ', '[x]', 'longer', 'pass-abc', 'late', 'secret-42']) expect(out).not.toContain(piece);
      expect(out).toContain('********');
      if (kind !== 'listr') expect(out).toContain('warn ********');
    });
  }
});
