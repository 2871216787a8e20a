import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../executor/events.js';
import { colorEnabled } from './color.js';
import { createReporter, NdjsonReporter, PlainReporter } from './index.js';
import { MaskedWriter, SecretSet } from '../secrets.js';

const ts = '2026-01-01T00:00:00.000Z';
const events: RunEvent[] = [
  { type: 'run_start', ts, v: 1, playbook: 'pb.yml', check: false },
  { type: 'play_start', ts, play: 'demo', playIndex: 0, hosts: ['n1', 'n2'] },
  { type: 'task_start', ts, play: 'demo', task: 'echo', taskId: 't1', file: 'pb.yml', line: 4, hosts: ['n1', 'n2'] },
  { type: 'host_result', ts, taskId: 't1', task: 'echo', host: 'n1', status: 'changed', changed: true, durationMs: 12, rc: 0 },
  {
    type: 'host_result',
    ts,
    taskId: 't1',
    task: 'echo',
    host: 'n2',
    status: 'failed',
    changed: false,
    durationMs: 15,
    rc: 3,
    stderr: 'boom: password hunter2 rejected',
  },
  { type: 'task_end', ts, taskId: 't1', task: 'echo', durationMs: 20 },
  {
    type: 'recap',
    ts,
    durationMs: 30,
    exitCode: 2,
    hosts: {
      n1: { ok: 0, changed: 1, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 },
      n2: { ok: 0, changed: 0, failed: 1, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 },
    },
  },
];

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

describe('plain reporter', () => {
  it('prints play, task with its source line, each host result, the failure output and a recap', () => {
    const { stream, text } = collect();
    const r = new PlainReporter({ out: new MaskedWriter(stream, new SecretSet(['hunter2'])), color: false });
    for (const e of events) r.emit(e);
    const out = text();
    expect(out).toContain('PLAY [demo]');
    expect(out).toContain('TASK [echo] pb.yml:4');
    expect(out).toMatch(/changed\s+n1 12ms/);
    expect(out).toMatch(/failed\s+n2 15ms/);
    expect(out).toContain('rc=3');
    expect(out).toContain('boom: password ******** rejected');
    expect(out).not.toContain('hunter2');
    expect(out).toMatch(/n2\s+ok=0 changed=0 failed=1/);
    expect(out).not.toContain('\u001b['); // no colour when disabled
  });
});

describe('ndjson reporter', () => {
  it('writes one parseable event per line with secrets masked', () => {
    const { stream, text } = collect();
    const r = new NdjsonReporter(new MaskedWriter(stream, new SecretSet(['hunter2'])));
    for (const e of events) r.emit(e);
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(events.length);
    const parsed = lines.map((l) => JSON.parse(l) as RunEvent);
    expect(parsed.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(text()).not.toContain('hunter2');
  });

  it('masks a secret with quotes, backslashes and a newline, and one added to the list after it was built', () => {
    const { stream, text } = collect();
    const secrets = new SecretSet(['Ab"c\\d-XYZ']);
    const r = new NdjsonReporter(new MaskedWriter(stream, secrets));
    r.emit({ type: 'warning', message: 'pw Ab"c\\d-XYZ here' } as unknown as RunEvent);
    secrets.add('late\nsecret.*');
    r.emit({ type: 'warning', message: 'now late\nsecret.* too' } as unknown as RunEvent);
    expect(text()).not.toContain('XYZ');
    expect(text()).not.toContain('late');
    expect(text().trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['pw ******** here', 'now ******** too']);
  });
});

describe('reporter choice', () => {
  it('uses plain lines when CI is set, even on a TTY, and NDJSON on stdout with --json', () => {
    const out = collect();
    const err = collect();
    const stdout = Object.assign(out.stream, { isTTY: true }) as unknown as NodeJS.WriteStream;
    const stderr = Object.assign(err.stream, { isTTY: true }) as unknown as NodeJS.WriteStream;
    const s = new SecretSet();
    const r = createReporter({ json: true, output: 'auto', env: { CI: 'true' }, stdout: new MaskedWriter(stdout, s), stderr: new MaskedWriter(stderr, s) });
    for (const e of events) r.emit(e);
    expect(out.text().split('\n')[0]).toMatch(/^\{"type":"run_start"/);
    expect(err.text()).toContain('TASK [echo]');
    expect(err.text()).not.toContain('{"type"');
  });

  it('respects NO_COLOR and FORCE_COLOR', () => {
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
  });

  it('masks longest secrets first and ignores trivially short ones', () => {
    const s = new SecretSet(['abc', 'abcdef', 'x']);
    expect(s.mask('abcdef abc x')).toBe('******** ******** x');
  });
});
