/**
 * YAML files with source positions: parse a file (collecting every YAML error as a LifeboatError with
 * file:line:col), and map a data path — e.g. an ajv `instancePath` — back to where it is in the file.
 *
 * Reusable by every loader (inventory, playbook, vars files).
 */
import type { ErrorObject } from 'ajv';
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Parser,
  parseDocument,
  type Tags,
} from 'yaml';
import { LifeboatError, type SourceRef } from './errors.js';

export type DataPath = ReadonlyArray<string | number>;

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  /** The document as plain data (`null` for an empty file, `undefined` when it did not parse). */
  value: unknown;
  /** YAML syntax errors (E_YAML), each with its position. Empty when the file parsed. */
  errors: LifeboatError[];
}

interface DocInfo {
  file: string;
  lines: LineCounter;
}

/** Parsed documents → their file name and line counter, so `positionOf(doc, …)` needs only the doc. */
const infoOf = new WeakMap<Document, DocInfo>();

const HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  DUPLICATE_KEY: 'remove or rename one of the two keys (a later one would silently replace the first)',
  BAD_INDENT: 'check the indentation of this line against the lines above it',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check for a missing ":" or a stray indent',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  BLOCK_AS_IMPLICIT_KEY: 'check for a missing ":" or wrong indentation',
  UNEXPECTED_TOKEN: 'check the indentation and the ":" / "-" on this line',
  MULTIPLE_DOCS: 'this file must hold a single YAML document; remove the extra "---"',
  BAD_ALIAS: 'an alias (*name) must refer to an anchor (&name) defined before it',
};

function skipBlank(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r')) i++;
  return i < text.length ? i : offset;
}

/** The first line of a yaml-package message, without its " at line L, column C" suffix. */
function shortMessage(message: string): string {
  const first = message.split('\n', 1)[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?\s*$/, '').replace(/:\s*$/, '');
}

const BOOL = 'tag:yaml.org,2002:bool';

/**
 * The yaml package's YAML 1.1 schema, narrowed to what PyYAML (and so Ansible) resolves: only
 * yes/no/true/false/on/off are booleans (not y/n, so a key `n:` stays "n"); `08` and `1e3` stay strings
 * (a decimal has no leading zero; an exponent needs a dot and a sign); dates stay strings (no timestamps).
 */
function asPyYaml(tags: Tags): Tags {
  const out: Tags = [];
  for (const t of tags) {
    if (typeof t === 'string' || !('test' in t) || !t.test) {
      out.push(t);
    } else if (t.tag === BOOL) {
      const yes = t.identify?.(true) === true;
      out.push({
        ...t,
        test: yes ? /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/ : /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
      });
    } else if (t.tag === 'tag:yaml.org,2002:timestamp') {
      // dropped
    } else if (t.tag === 'tag:yaml.org,2002:int' && !t.format) {
      out.push({ ...t, test: /^[-+]?(?:0|[1-9][0-9_]*)$/ });
    } else if (t.tag === 'tag:yaml.org,2002:float' && t.format === 'EXP') {
      out.push({ ...t, test: /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)[eE][-+][0-9]+$/ });
    } else {
      out.push(t);
    }
  }
  return out;
}

/** Where the quoted scalar opened at `open` really ends (the closing quote's offset), as the yaml lexer seeks it. */
function quoteEnd(text: string, open: number): number {
  const quote = text[open] as string;
  let end = text.indexOf(quote, open + 1);
  if (quote === "'") {
    while (end !== -1 && text[end + 1] === "'") end = text.indexOf("'", end + 2);
    return end;
  }
  while (end !== -1) {
    let n = 0;
    while (text[end - 1 - n] === '\\') n++;
    if (n % 2 === 0) break;
    end = text.indexOf('"', end + 1);
  }
  return end;
}

function quotedScalars(node: unknown, out: Array<{ offset: number; source: string }>): void {
  if (Array.isArray(node)) {
    for (const n of node) quotedScalars(n, out);
  } else if (node && typeof node === 'object') {
    const t = node as { type?: unknown; offset?: unknown; source?: unknown };
    if ((t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && typeof t.offset === 'number') {
      out.push({ offset: t.offset, source: String(t.source) });
      return;
    }
    for (const v of Object.values(node)) if (v && typeof v === 'object') quotedScalars(v, out);
  }
}

/**
 * PyYAML (so Ansible) lets a line of a quoted scalar that spans lines begin with tabs: they are only the
 * white space that line folding drops (kubeasz indents `shell: "… \` continuations with a tab). The yaml
 * package ends the quoted scalar at such a line ("tabs are not allowed as indentation"). So, for each quoted
 * scalar that its lexer cut short where a continuation line starts with a tab, the white space leading that
 * line is written as spaces, as many as the scalar's opening column + 1 (never fewer than it had): the
 * scalar's value is the same (folding drops that white space), and every line keeps its number (only columns
 * on those continuation lines move). Tabs that indent anything else are still refused.
 */
function spaceTabbedContinuations(text: string): string {
  if (!text.includes('\t')) return text;
  let out = text;
  for (let round = 0; round < 100; round++) {
    const found: Array<{ offset: number; source: string }> = [];
    for (const tok of new Parser().parse(out)) quotedScalars(tok, found);
    // The first scalar cut short decides: text after it was lexed out of step, so re-parse after each fix.
    const cut = found.sort((a, b) => a.offset - b.offset).find(({ offset, source }) => {
      const end = quoteEnd(out, offset);
      return end !== -1 && end > offset + source.length - 1;
    });
    if (!cut) break;
    const end = quoteEnd(out, cut.offset);
    const col = cut.offset - (out.lastIndexOf('\n', cut.offset) + 1);
    let changed = false;
    const body = out.slice(cut.offset, end).replace(/\n([ \t]*\t[ \t]*)/g, (_m, ws: string) => {
      changed = true;
      return `\n${' '.repeat(Math.max(ws.length, col + 1))}`;
    });
    if (!changed) break;
    out = out.slice(0, cut.offset) + body + out.slice(end);
  }
  return out;
}

/**
 * Parse one YAML file. Duplicate keys are errors (as they should be: the later silently wins otherwise).
 * Never throws for bad YAML: look at `errors`. `opts.version: '1.1'` for Ansible-compatible files (playbooks).
 */
export function parseYamlFile(file: string, text: string, opts: { version?: '1.1' | '1.2' } = {}): YamlFile {
  const lines = new LineCounter();
  const source = spaceTabbedContinuations(text);
  // version '1.1' reads files as Ansible (PyYAML) does: `yes`/`no`/`on`/`off` are booleans, `0644` is octal
  // (see asPyYaml for the details).
  const doc = parseDocument(source, {
    uniqueKeys: true,
    lineCounter: lines,
    prettyErrors: true,
    ...(opts.version ? { version: opts.version } : {}),
    ...(opts.version === '1.1' ? { customTags: asPyYaml } : {}),
  });
  infoOf.set(doc, { file, lines });
  const errors: LifeboatError[] = [];
  const seen = new Set<string>();
  for (const e of doc.errors) {
    // The yaml package may point at the blank end of the line before the culprit (a duplicate key, a
    // badly indented key): move to the next thing written.
    const lp = lines.linePos(skipBlank(source, e.pos[0]));
    const at = `${lp.line}:${lp.col}`;
    if (seen.has(at)) continue; // one error per position: the first is the most telling
    seen.add(at);
    errors.push(
      new LifeboatError('E_YAML', `YAML: ${shortMessage(e.message)}`, {
        src: { file, line: lp.line, col: lp.col },
        hint: HINTS[e.code] ?? 'fix the YAML syntax at this position',
      }),
    );
  }
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      errors.push(
        new LifeboatError('E_YAML', `YAML: ${(err as Error).message}`, {
          src: { file, line: 1, col: 1 },
          hint: 'check anchors and aliases in this file',
          cause: err,
        }),
      );
    }
  }
  return { file, doc, value, errors };
}

function nodeStart(doc: Document, node: Node | null | undefined): SourceRef | undefined {
  const info = infoOf.get(doc);
  if (!info || !node?.range) return undefined;
  const lp = info.lines.linePos(node.range[0]);
  return { file: info.file, line: lp.line, col: lp.col };
}

/** A scalar with no text of its own (`key:` with nothing after it). */
function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1]);
}

/**
 * Where the value at `path` is in the file (its first character). With `{ key: true }`, where the key of
 * the last path segment is (for "unknown key" errors). A path that does not exist all the way down
 * gives the position of its deepest existing part (a `required` error points at the mapping).
 * `doc` must come from `parseYamlFile` (or be a `YamlFile`).
 */
export function positionOf(doc: Document | YamlFile, path: DataPath, opts: { key?: boolean } = {}): SourceRef {
  const d: Document = 'doc' in doc && 'errors' in doc ? doc.doc : (doc as Document);
  const info = infoOf.get(d);
  const fallback: SourceRef = { file: info?.file ?? '<unknown>', line: 1, col: 1 };
  let node: unknown = d.contents;
  let best = nodeStart(d, d.contents as Node | null) ?? fallback;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (!pair) return best;
      const keyPos = nodeStart(d, pair.key as Node | null);
      if (last && opts.key && keyPos) return keyPos;
      const valPos = isEmptyScalar(pair.value) ? undefined : nodeStart(d, pair.value as Node | null);
      best = valPos ?? keyPos ?? best;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) return best;
      best = nodeStart(d, item as Node) ?? best;
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

/** A JSON pointer (ajv `instancePath`, e.g. `/all/children/etcd`) as path segments. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A path as people read it: `all.children.etcd.hosts[0]`. */
export function pathText(path: DataPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || /^\d+$/.test(seg)) out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out || '(top level)';
}

/**
 * ajv errors → LifeboatErrors (E_SCHEMA) positioned in the YAML file. `describe` may turn one ajv error into
 * a friendlier message + hint (return undefined to use the default wording).
 */
export function schemaErrors(
  file: YamlFile,
  errors: ReadonlyArray<ErrorObject> | null | undefined,
  describe?: (e: ErrorObject, path: string[]) => { message: string; hint?: string } | undefined,
): LifeboatError[] {
  const out: LifeboatError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const path = pointerToPath(e.instancePath);
    let src: SourceRef;
    let message: string;
    let hint: string | undefined;
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      src = positionOf(file, [...path, extra], { key: true });
      message = `${pathText([...path, extra])}: unknown key "${extra}"`;
      hint = 'remove it or check its spelling';
    } else {
      src = positionOf(file, path);
      message = `${pathText(path)}: ${e.message ?? e.keyword}`;
    }
    const custom = describe?.(e, path);
    if (custom) {
      message = custom.message;
      hint = custom.hint ?? hint;
    }
    const key = `${src.line}:${src.col}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(new LifeboatError('E_SCHEMA', message, { src, ...(hint ? { hint } : {}) }));
  }
  return out;
}
