import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { LifeboatError, LifeboatErrors } from '../errors.js';
import { badPort, PORT_VARS, yamlPortErrors } from '../inventory/port-check.js';
import { parseKv } from '../playbook/kv.js';
import type { Vars } from '../inventory/types.js';
import { parseYamlFile } from '../yamlpos.js';

/**
 * `-e` values, merged left to right: `key=value key2=value2` (values stay strings, as Ansible; split as
 * Ansible's parse_kv splits, so `k={{ groups["etcd"] | join(",") }}` is one value),
 * a YAML/JSON mapping (`-e '{"a": 1}'`), or `@file` (YAML or JSON).
 */
export function parseExtraVars(items: string[]): Vars {
  const out: Vars = {};
  for (const item of items) Object.assign(out, parseOne(item));
  return out;
}

function parseOne(item: string): Vars {
  const s = item.trim();
  if (s.startsWith('@')) {
    const file = s.slice(1);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new LifeboatError('E_USAGE', `-e @${file}: cannot read the file (${(err as Error).message})`);
    }
    const vars = asMapping(parseYaml(text, `-e @${file}`), `-e @${file}`);
    // A port variable that is no port number, named with its file and line.
    const ports = yamlPortErrors(parseYamlFile(file, text), 'E_USAGE');
    if (ports.length) throw new LifeboatErrors(ports);
    return vars;
  }
  if (s.startsWith('{')) return checkPorts(asMapping(parseYaml(s, '-e'), '-e'), item);
  // Ansible's parse_kv: quotes and `{{ … }}` keep their spaces (`-e 'k={{ groups["etcd"] }}'`); a template
  // stays a template, rendered where the variable is used.
  const kv = parseKv(s);
  if (!kv.ok) {
    throw new LifeboatError('E_USAGE', `-e "${item}": expected key=value, a YAML/JSON mapping, or @file (\`${kv.bad}\` is none)`, {
      hint: 'for example: -e snapshot=/backups/etcd.db -e etcd_backup_retain=5',
    });
  }
  return checkPorts({ ...kv.args }, item);
}

/** `-e ansible_port=twenty-two` is refused before anything runs, naming the argument. */
function checkPorts(vars: Vars, item: string): Vars {
  for (const name of PORT_VARS) {
    const why = name in vars ? badPort(vars[name]) : undefined;
    if (why) throw new LifeboatError('E_USAGE', `-e "${item}": ${name} ${why}`, { hint: 'use a number from 1 to 65535' });
  }
  return vars;
}

function parseYaml(text: string, what: string): unknown {
  try {
    return parse(text);
  } catch (err) {
    throw new LifeboatError('E_USAGE', `${what}: not valid YAML/JSON (${(err as Error).message.split('\n')[0]})`);
  }
}

function asMapping(v: unknown, what: string): Vars {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Vars;
  throw new LifeboatError('E_USAGE', `${what}: must be a mapping of variable names to values`);
}
