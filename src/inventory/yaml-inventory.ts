/**
 * YAML (and JSON) inventories, as Ansible's `yaml` inventory plugin reads them:
 *
 *   all:
 *     vars: {…}
 *     hosts: { node1: {ansible_host: 10.0.0.1}, node2: }
 *     children:
 *       etcd: { hosts: { node[1:3]: }, children: {…}, vars: {…} }
 *
 * Top-level keys are groups. Shapes are checked with ajv; each problem is reported at its place in the
 * file. Unlike Ansible (which warns and skips), an unknown key in a group is an error: it is almost always
 * a host written one level too high, which would otherwise silently leave the group empty.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { compileSchema } from '../schema-validators.js';
import type { LifeboatError } from '../errors.js';
import { LifeboatError as LE } from '../errors.js';
import { yamlPortErrors } from './port-check.js';
import { type DataPath, parseYamlFile, positionOf, schemaErrors, type YamlFile } from '../yamlpos.js';
import type { InventoryBuilder } from './builder.js';
import { parseHostEntry } from './hostrange.js';
import type { Vars } from './types.js';

export const YAML_INVENTORY_SCHEMA = {
  type: 'object',
  additionalProperties: { $ref: '#/definitions/group' },
  definitions: {
    group: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        hosts: { type: ['object', 'null', 'string'], additionalProperties: { type: ['object', 'null'] } },
        vars: { type: ['object', 'null'] },
        children: { type: ['object', 'null', 'string'], additionalProperties: { $ref: '#/definitions/group' } },
      },
    },
  },
};

let compiled: ValidateFunction | undefined;
/** Compiled (or taken from the generated validators) on the first YAML inventory read. */
function inventoryValidator(): ValidateFunction {
  compiled ??= compileSchema(YAML_INVENTORY_SCHEMA);
  return compiled;
}

/** The group a data path is in: the key after the last `children` (or the top-level key). */
function groupOf(path: ReadonlyArray<string>, end = path.length): string {
  let g = path[0] ?? '';
  for (let i = 1; i < end; i++) if (path[i - 1] === 'children' && i % 2 === 0) g = path[i] as string;
  return g;
}

function describe(e: ErrorObject, path: string[], value: unknown): { message: string; hint?: string } | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const got = Array.isArray(value) ? 'a list' : value === null ? 'nothing' : `a ${typeof value}`;
  if (path.length === 0 && e.keyword === 'type') {
    return {
      message: `a YAML inventory must be a mapping of group names, got ${got}`,
      hint: 'start with "all:" and put hosts:, children: and vars: under it',
    };
  }
  if (e.keyword === 'type') {
    // paths alternate: group, section, name, section, name… — an odd index is a section key
    const isSection = path.length % 2 === 0;
    if (isSection && last === 'hosts') {
      return {
        message: `hosts of group "${groupOf(path, path.length - 1)}" must be a mapping of host names, got ${got}`,
        hint: 'write each host as a key ending in ":" (etcd1:), not as a list item (- etcd1)',
      };
    }
    if (isSection && last === 'vars') {
      return {
        message: `vars of group "${groupOf(path, path.length - 1)}" must be a mapping (key: value), got ${got}`,
        hint: 'write variables as "name: value" lines under vars:',
      };
    }
    if (isSection && last === 'children') {
      return {
        message: `children of group "${groupOf(path, path.length - 1)}" must be a mapping of group names, got ${got}`,
        hint: 'write each child group as a key ending in ":" (kube_master:), not as a list item',
      };
    }
    if (!isSection && parent === 'hosts') {
      return {
        message: `variables of host "${last}" must be a mapping (key: value) or nothing, got ${got}`,
        hint: `write "${last}:" alone, or variables under it such as "ansible_host: 10.0.0.1"`,
      };
    }
    return {
      message: `group "${last}" must be a mapping with hosts:, children: or vars:, got ${got}`,
      hint: 'a group holds hosts:, children: and vars:',
    };
  }
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    return {
      message: `unknown key "${extra}" in group "${groupOf(path)}"`,
      hint: `a group holds only hosts:, children: and vars:; if "${extra}" is a host, put it under hosts:`,
    };
  }
  return undefined;
}

function valueAt(root: unknown, path: DataPath): unknown {
  let v = root;
  for (const seg of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[String(seg)] : undefined;
  return v;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Read one YAML/JSON inventory file into the builder; returns its problems. */
export function parseYamlInventory(file: string, text: string, b: InventoryBuilder): LifeboatError[] {
  const y = parseYamlFile(file, text, { version: '1.1' }); // as Ansible (PyYAML): yes/no are booleans
  if (y.errors.length) return y.errors;
  if (y.value === null || y.value === undefined) return []; // an empty file declares nothing
  const errors: LifeboatError[] = [];
  const validate = inventoryValidator();
  if (!validate(y.value)) {
    errors.push(...schemaErrors(y, validate.errors, (e, path) => describe(e, path, valueAt(y.value, path))));
  }
  if (!isMap(y.value)) return errors;
  errors.push(...yamlPortErrors(y));
  for (const [name, data] of Object.entries(y.value)) walkGroup(y, b, name, data, [name], errors);
  return errors;
}

function walkGroup(
  y: YamlFile,
  b: InventoryBuilder,
  name: string,
  data: unknown,
  path: string[],
  errors: LifeboatError[],
): void {
  b.group(name, positionOf(y, path, { key: true }));
  if (!isMap(data)) return;
  if (isMap(data.vars)) b.groupVars(name, data.vars, 'inline');
  const hosts = typeof data.hosts === 'string' ? { [data.hosts]: null } : data.hosts;
  if (isMap(hosts)) {
    for (const [entry, hv] of Object.entries(hosts)) {
      const hpath = [...path, 'hosts', entry];
      const src = positionOf(y, typeof data.hosts === 'string' ? [...path, 'hosts'] : hpath, { key: true });
      const parsed = parseHostEntry(entry);
      if (!parsed.ok) {
        errors.push(
          new LE('E_INVENTORY', parsed.message, { src: { ...src, col: src.col + parsed.at }, hint: parsed.hint }),
        );
        continue;
      }
      const vars: Vars = isMap(hv) ? { ...hv } : {};
      if (parsed.port !== undefined) vars.ansible_port = parsed.port;
      for (const h of parsed.hosts) {
        b.host(h, name, src);
        b.hostVars(h, vars, 'inline');
      }
    }
  }
  const children = typeof data.children === 'string' ? { [data.children]: null } : data.children;
  if (isMap(children)) {
    for (const [child, cdata] of Object.entries(children)) {
      const cpath = [...path, 'children', child];
      b.child(name, child, positionOf(y, typeof data.children === 'string' ? [...path, 'children'] : cpath, { key: true }));
      walkGroup(y, b, child, cdata, cpath, errors);
    }
  }
}
