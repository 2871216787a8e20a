import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parseYamlFile, pathText, pointerToPath, positionOf, schemaErrors } from './yamlpos.js';

const text = [
  'all:', // 1
  '  children:', // 2
  '    etcd:', // 3
  '      hosts:', // 4
  '        e1:', // 5
  '        e2: {ip: 10.0.0.2}', // 6
  '      vars:', // 7
  '        - not a map', // 8
  '',
].join('\n');

describe('parseYamlFile', () => {
  it('gives plain data and no errors for good YAML', () => {
    const y = parseYamlFile('inv.yml', text);
    expect(y.errors).toEqual([]);
    expect(y.value).toEqual({
      all: { children: { etcd: { hosts: { e1: null, e2: { ip: '10.0.0.2' } }, vars: ['not a map'] } } },
    });
  });

  it('treats an empty file as null', () => {
    const y = parseYamlFile('empty.yml', '');
    expect(y.errors).toEqual([]);
    expect(y.value).toBeNull();
  });

  it('reads a quoted scalar whose continuation lines start with a tab, as PyYAML does', () => {
    // kubeasz's cluster-restore tasks: a double-quoted `shell:` continued with `\` and tab-led lines.
    const t = [
      '- name: restore', // 1
      '  shell: "cd /b && \\', // 2
      '\tetcdutl snapshot restore \\', // 3
      '\t--name etcd-{{ inventory_hostname }}"', // 4
      "  args: {chdir: 'a", // 5
      "\t \tb'}", // 6
      '  register: out', // 7
      '',
    ].join('\n');
    const y = parseYamlFile('t.yml', t, { version: '1.1' });
    expect(y.errors).toEqual([]);
    expect(y.value).toEqual([
      {
        name: 'restore',
        shell: 'cd /b && etcdutl snapshot restore --name etcd-{{ inventory_hostname }}',
        args: { chdir: 'a b' },
        register: 'out',
      },
    ]);
    expect(positionOf(y, [0, 'register'])).toEqual({ file: 't.yml', line: 7, col: 13 });
  });

  it('still refuses a tab that indents a key after a quoted scalar spanning lines', () => {
    const y = parseYamlFile('t.yml', 'a: "x\n\ty"\nb:\n\tc: 1\n', { version: '1.1' });
    expect(y.errors.map((e) => [e.src?.line, e.message])).toEqual([[4, expect.stringMatching(/tab/i)]]);
  });

  it('reports a tab used as indentation with its line and column', () => {
    const y = parseYamlFile('tab.yml', 'all:\n  hosts:\n\ta: 1\n');
    expect(y.errors.length).toBeGreaterThan(0);
    const e = y.errors[0];
    expect(e?.code).toBe('E_YAML');
    expect(e?.src).toEqual({ file: 'tab.yml', line: 3, col: 1 });
    expect(e?.message).toMatch(/tab/i);
    expect(e?.message).not.toContain('\n');
    expect(e?.hint).toMatch(/spaces/);
    expect(y.value).toBeUndefined();
  });

  it('reports a duplicate key at the second occurrence', () => {
    const y = parseYamlFile('dup.yml', 'all:\n  hosts:\n    a:\n    b:\n    a:\n');
    expect(y.errors.map((e) => [e.src?.line, e.src?.col])).toEqual([[5, 5]]);
    expect(y.errors[0]?.message).toMatch(/unique/);
  });

  it('reports bad indentation', () => {
    const y = parseYamlFile('indent.yml', 'all:\n  hosts:\n    a: 1\n   b: 2\n');
    expect(y.errors.length).toBeGreaterThan(0);
    expect(y.errors[0]?.src?.line).toBe(4);
    expect(y.errors[0]?.format()).toMatch(/^indent\.yml:4:\d+: YAML: /);
  });
});

describe('positionOf', () => {
  const y = parseYamlFile('inv.yml', text);

  it('finds a value', () => {
    expect(positionOf(y.doc, ['all', 'children', 'etcd', 'vars'])).toEqual({ file: 'inv.yml', line: 8, col: 9 });
    expect(positionOf(y.doc, ['all', 'children', 'etcd', 'hosts', 'e2', 'ip'])).toEqual({
      file: 'inv.yml',
      line: 6,
      col: 18,
    });
  });

  it('finds a key, and an empty value by its key', () => {
    expect(positionOf(y, ['all', 'children', 'etcd', 'vars'], { key: true }).line).toBe(7);
    expect(positionOf(y, ['all', 'children', 'etcd', 'hosts', 'e1'])).toEqual({ file: 'inv.yml', line: 5, col: 9 });
  });

  it('finds sequence items', () => {
    expect(positionOf(y, ['all', 'children', 'etcd', 'vars', 0])).toEqual({ file: 'inv.yml', line: 8, col: 11 });
  });

  it('falls back to the deepest existing part of a missing path', () => {
    expect(positionOf(y, ['all', 'children', 'nope', 'x']).line).toBe(3);
    expect(positionOf(y, ['all', 'children', 'etcd', 'vars', 5]).line).toBe(8);
  });
});

describe('pointers and paths', () => {
  it('decodes JSON pointers', () => {
    expect(pointerToPath('')).toEqual([]);
    expect(pointerToPath('/a~1b/c~0d/0')).toEqual(['a/b', 'c~d', '0']);
  });
  it('prints paths', () => {
    expect(pathText(['all', 'children', 'etcd', 'hosts', 0])).toBe('all.children.etcd.hosts[0]');
    expect(pathText([])).toBe('(top level)');
  });
});

describe('schemaErrors', () => {
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile({
    type: 'object',
    properties: {
      name: { type: 'string' },
      port: { type: 'integer' },
    },
    required: ['name'],
    additionalProperties: false,
  });

  it('positions type errors at the value and unknown keys at the key', () => {
    const y = parseYamlFile('p.yml', 'port: "x"\nnmae: web\n');
    expect(validate(y.value)).toBe(false);
    const errs = schemaErrors(y, validate.errors);
    const byMsg = Object.fromEntries(errs.map((e) => [e.message, e.src]));
    expect(byMsg['port: must be integer']).toEqual({ file: 'p.yml', line: 1, col: 7 });
    expect(byMsg['nmae: unknown key "nmae"']).toEqual({ file: 'p.yml', line: 2, col: 1 });
    expect(byMsg["(top level): must have required property 'name'"]).toEqual({ file: 'p.yml', line: 1, col: 1 });
    expect(errs.every((e) => e.code === 'E_SCHEMA')).toBe(true);
  });

  it('lets the caller reword an error', () => {
    const y = parseYamlFile('p.yml', 'name: 3\n');
    validate(y.value);
    const errs = schemaErrors(y, validate.errors, (_e, path) =>
      path[0] === 'name' ? { message: 'name must be text', hint: 'quote it' } : undefined,
    );
    expect(errs.map((e) => e.format())).toEqual(['p.yml:1:7: name must be text\n  hint: quote it']);
  });
});

describe('YAML 1.1, as PyYAML (and so Ansible) reads it', () => {
  // expected values are what Python's yaml.safe_load gives for the same text
  const text = [
    'a: yes',
    'b: no',
    'c: on',
    'd: y',
    'e: n',
    'f: 0755',
    'g: 2024-01-02',
    'h: 1:20',
    'i: 0x1f',
    'j: ~',
    'k: 1_000',
    'm: 0b11',
    'n: 010',
    'o: 1e3',
    'p: 08',
    'q: 1.5e+3',
    'r: 1.5e3',
    'u: True',
    'v: OFF',
    'x: {<<: {z: 1}, y2: 2}',
    '',
  ].join('\n');

  it('resolves scalars as PyYAML does', () => {
    const y = parseYamlFile('v.yml', text, { version: '1.1' });
    expect(y.errors).toEqual([]);
    expect(y.value).toEqual({
      a: true,
      b: false,
      c: true,
      d: 'y',
      e: 'n',
      f: 493,
      g: '2024-01-02',
      h: 80,
      i: 31,
      j: null,
      k: 1000,
      m: 3,
      n: 8,
      o: '1e3',
      p: '08',
      q: 1500,
      r: '1.5e3',
      u: true,
      v: false,
      x: { z: 1, y2: 2 },
    });
  });

  it('leaves YAML 1.2 the default', () => {
    expect(parseYamlFile('v.yml', 'a: yes\nb: 0755\n').value).toEqual({ a: 'yes', b: 755 });
  });
});
