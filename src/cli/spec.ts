import { parseArgs } from 'node:util';
import { LifeboatError, nearest } from '../errors.js';

export interface OptSpec {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  default?: string | boolean;
  valueName?: string;
  desc: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: OptSpec[];
  examples: string[];
  /** Extra text after the options (exit codes, environment). */
  footer?: string;
}

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
}

export const HELP_OPT: OptSpec = { name: 'help', short: 'h', type: 'boolean', desc: 'Show this help' };

export function parseCommand(spec: CommandSpec, argv: string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of [...spec.options, HELP_OPT]) {
    options[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const v = values as Values;
    for (const o of spec.options) if (v[o.name] === undefined && o.default !== undefined) v[o.name] = o.default;
    return { values: v, positionals };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const m = /Unknown option '(-{1,2}[^']+)'/.exec(msg);
    let hint = `see \`lifeboat ${spec.name} --help\``;
    if (m?.[1]) {
      const guess = nearest(m[1].replace(/^-+/, ''), spec.options.map((o) => o.name));
      if (guess) hint = `did you mean \`--${guess}\`? (${hint})`;
    }
    throw new LifeboatError('E_USAGE', msg.split('\n')[0] ?? msg, { hint });
  }
}

export function helpText(spec: CommandSpec): string {
  const lines = [`${spec.summary}`, '', `Usage: ${spec.usage}`, '', 'Options:'];
  const rows = [...spec.options, HELP_OPT].map((o) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : '';
    const rep = o.multiple ? ' (repeatable)' : '';
    return [flag, `${o.desc}${rep}${def}`] as const;
  });
  const w = Math.min(36, Math.max(...rows.map((r) => r[0].length)) + 2);
  for (const [f, d] of rows) lines.push(`  ${f.padEnd(w)}${f.length >= w ? `\n  ${' '.repeat(w)}` : ''}${d}`);
  if (spec.examples.length) {
    lines.push('', 'Examples:');
    for (const e of spec.examples) lines.push(`  ${e}`);
  }
  if (spec.footer) lines.push('', spec.footer);
  return `${lines.join('\n')}\n`;
}

export function str(v: Values, k: string): string | undefined {
  const x = v[k];
  return typeof x === 'string' ? x : undefined;
}

export function strs(v: Values, k: string): string[] {
  const x = v[k];
  if (Array.isArray(x)) return x.filter((s): s is string => typeof s === 'string');
  return typeof x === 'string' ? [x] : [];
}

export function bool(v: Values, k: string): boolean {
  return v[k] === true;
}

export function int(v: Values, k: string, min: number): number | undefined {
  const s = str(v, k);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < min) {
    throw new LifeboatError('E_USAGE', `--${k} must be a whole number ≥ ${min}, got "${s}"`);
  }
  return n;
}
