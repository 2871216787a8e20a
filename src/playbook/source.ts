/**
 * Reading playbook-language YAML files (YAML 1.1, as Ansible reads them) and pointing at places in them.
 * A `Loc` is a file plus a data path inside it; every loader error is made from one.
 */
import { readFile } from 'node:fs/promises';
import { type ErrorCode, LifeboatError, type SourceRef } from '../errors.js';
import { type DataPath, parseYamlFile, positionOf, type YamlFile } from '../yamlpos.js';

export interface Loc {
  y: YamlFile;
  path: DataPath;
}

export function at(loc: Loc, ...more: Array<string | number>): Loc {
  return { y: loc.y, path: [...loc.path, ...more] };
}

/** Position of the value at `loc` (or, with key, of the last path segment's key). */
export function srcOf(loc: Loc, opts: { key?: boolean } = {}): SourceRef {
  return positionOf(loc.y, loc.path, opts);
}

/** Collects every problem of a load, so one pass reports all of them. */
export class Problems {
  readonly list: LifeboatError[] = [];
  /** A role used by two plays is read twice: its problems are reported once. */
  private readonly seen = new Set<string>();

  add(code: ErrorCode, loc: Loc | SourceRef, message: string, hint?: string, opts: { key?: boolean } = {}): void {
    const src = 'y' in loc ? srcOf(loc, opts) : loc;
    this.push(new LifeboatError(code, message, { src, ...(hint ? { hint } : {}) }));
  }

  push(...errs: LifeboatError[]): void {
    for (const e of errs) {
      const k = `${e.src?.file}:${e.src?.line}:${e.src?.col}:${e.message}`;
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      this.list.push(e);
    }
  }

  get count(): number {
    return this.list.length;
  }
}

/** Parsed files by absolute path, so a file used twice (a role, an imported task list) is read once. */
export type FileCache = Map<string, Promise<{ y: YamlFile; text: string } | undefined>>;

/**
 * Read and parse a YAML file. A missing file or a YAML error is recorded in `problems` (the missing-file
 * error points at `from`, the place that named the file) and gives undefined.
 */
export async function readYaml(
  file: string,
  problems: Problems,
  cache: FileCache,
  from?: SourceRef,
): Promise<YamlFile | undefined> {
  let p = cache.get(file);
  const first = !p;
  if (!p) {
    p = readFile(file, 'utf8').then(
      (text) => ({ y: parseYamlFile(file, text, { version: '1.1' }), text }),
      () => undefined,
    );
    cache.set(file, p);
  }
  const got = await p;
  if (!got) {
    problems.add('E_PLAYBOOK', from ?? { file, line: 1, col: 1 }, `cannot read file ${file}`, 'check the path');
    return undefined;
  }
  const { y, text } = got;
  if (first) problems.push(...explainTabs(y, text));
  return y.errors.length ? undefined : y;
}

/**
 * The yaml package reports a tab in the indentation of a nested line as some other error ("unexpected
 * scalar"). On a line whose indentation holds a tab, say so plainly instead.
 */
function explainTabs(y: YamlFile, text: string): LifeboatError[] {
  if (!y.errors.length) return [];
  const lines = text.split('\n');
  const out: LifeboatError[] = [];
  const tabbed = new Set<number>();
  for (const e of y.errors) {
    const line = e.src?.line ?? 0;
    const indent = /^[ \t]*/.exec(lines[line - 1] ?? '')?.[0] ?? '';
    const col = indent.indexOf('\t');
    if (col < 0) {
      out.push(e);
      continue;
    }
    if (tabbed.has(line)) continue;
    tabbed.add(line);
    out.push(
      new LifeboatError('E_YAML', 'YAML: a tab character in the indentation', {
        src: { file: y.file, line, col: col + 1 },
        hint: 'indent with spaces; YAML does not allow tabs for indentation',
      }),
    );
  }
  return out;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string holding a Jinja template (`{{ … }}` or `{% … %}`): not type-checked until it is rendered. */
export function isTemplated(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%'));
}
