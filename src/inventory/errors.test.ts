import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LifeboatError, LifeboatErrors } from '../errors.js';
import { loadInventory } from './index.js';

const FIX = resolve(import.meta.dirname, '../../test/fixtures/inventory/malformed');

async function errorsOf(...paths: string[]): Promise<LifeboatError[]> {
  const err = await loadInventory(paths.map((p) => join(FIX, p))).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LifeboatErrors);
  return (err as LifeboatErrors).errors;
}

/** `line:col code message` of each error, with the fixture directory cut off. */
const brief = (errs: LifeboatError[]) =>
  errs.map((e) => `${e.src?.file.slice(FIX.length + 1)}:${e.src?.line}:${e.src?.col} ${e.code} ${e.message}`);

describe('malformed YAML inventories: each error names file:line:col and gives a hint', () => {
  it.each([
    ['tab.yml', 'tab.yml:3:1 E_YAML YAML: Tabs are not allowed as indentation'],
    ['duplicate-key.yml', 'duplicate-key.yml:7:9 E_YAML YAML: Map keys must be unique'],
    ['bad-indent.yml', 'bad-indent.yml:6:8 E_YAML YAML: All mapping items must start at the same column'],
    ['hosts-list.yml', 'hosts-list.yml:5:9 E_SCHEMA hosts of group "etcd" must be a mapping of host names, got a list'],
    ['vars-list.yml', 'vars-list.yml:3:5 E_SCHEMA vars of group "all" must be a mapping (key: value), got a list'],
    ['unknown-key.yml', 'unknown-key.yml:4:7 E_SCHEMA unknown key "etcd1" in group "etcd"'],
    [
      'host-vars-scalar.yml',
      'host-vars-scalar.yml:3:12 E_SCHEMA variables of host "etcd1" must be a mapping (key: value) or nothing, got a string',
    ],
    ['not-a-mapping.yml', 'not-a-mapping.yml:1:1 E_SCHEMA a YAML inventory must be a mapping of group names, got a list'],
    ['odd-names.yml', 'odd-names.yml:6:15 E_SCHEMA variables of host "vars" must be a mapping (key: value) or nothing, got a number'],
    ['bad-range.yml', 'bad-range.yml:3:9 E_INVENTORY host range "[5:1]" runs backwards'],
    ['cycle.yml', 'cycle.yml:7:13 E_INVENTORY child group cycle: a → b → a'],
  ])('%s', async (file, want) => {
    const errs = await errorsOf(file);
    expect(brief(errs)).toEqual([want]);
    expect(errs[0]?.hint).toBeTruthy();
    expect(errs[0]?.format()).toMatch(new RegExp(`^${FIX.replace(/[/.]/g, '\\$&')}/${file.replace('.', '\\.')}:\\d+:\\d+: `));
  });

  it('gives the hint that fixes a host list', async () => {
    const [e] = await errorsOf('hosts-list.yml');
    expect(e?.hint).toBe('write each host as a key ending in ":" (etcd1:), not as a list item (- etcd1)');
  });
});

describe('malformed INI inventories', () => {
  it('reports every bad line of a file', async () => {
    expect(brief(await errorsOf('bad-line.ini'))).toEqual([
      'bad-line.ini:3:7 E_INVENTORY expected key=value after the host name, got "10.0.0.2"',
      'bad-line.ini:6:1 E_INVENTORY expected key=value, got "etcd_port 2379"',
      'bad-line.ini:9:1 E_INVENTORY expected a group name, got "etcd bad name"',
    ]);
  });

  it('reports malformed host ranges at the bracket', async () => {
    const errs = await errorsOf('bad-range.ini');
    expect(brief(errs)).toEqual([
      'bad-range.ini:2:5 E_INVENTORY zero-padded host range "[01:100]" has ends of different widths',
      'bad-range.ini:3:5 E_INVENTORY unclosed "[" in host "node[1:"',
    ]);
    expect(errs[0]?.hint).toBe('pad both ends to the same width, e.g. [001:100]');
  });

  it('reports a child group cycle at the entry that closes it', async () => {
    expect(brief(await errorsOf('cycle.ini'))).toEqual(['cycle.ini:5:1 E_INVENTORY child group cycle: a → b → a']);
  });

  it('reports undeclared groups, with the nearest name', async () => {
    const errs = await errorsOf('undefined-child.ini');
    expect(brief(errs)).toEqual([
      'undefined-child.ini:6:1 E_INVENTORY [k8s:children] includes undefined group "kube_mastr"',
      'undefined-child.ini:11:2 E_INVENTORY [kube_node:vars] is for group "kube_node", which is not declared',
    ]);
    expect(errs[0]?.hint).toBe('did you mean "kube_master"?');
  });

  it('reports an unclosed quote where it opens', async () => {
    expect(brief(await errorsOf('unclosed-quote.ini'))).toEqual([
      "unclosed-quote.ini:2:17 E_INVENTORY cannot read host line: no closing quotation for the ' opened here",
    ]);
  });

  it('reports a bad section header, accepts [g:hosts]', async () => {
    expect(brief(await errorsOf('bad-section.ini'))).toEqual([
      'bad-section.ini:4:1 E_INVENTORY invalid section header "[ bad ]"',
    ]);
  });
});

describe('malformed vars files', () => {
  it('reports a list, broken YAML and a vault file, each in its own file', async () => {
    const errs = await errorsOf('vars-dir');
    expect(brief(errs)).toEqual([
      'vars-dir/group_vars/all.yml:1:1 E_SCHEMA a vars file must be a mapping of variable names, got a list',
      'vars-dir/group_vars/etcd.yml:1:4 E_YAML YAML: Nested mappings are not allowed in compact mappings',
      'vars-dir/host_vars/etcd1.yml:1:1 E_INVENTORY this vars file is encrypted with Ansible Vault, which Lifeboat does not read',
    ]);
  });
});

describe('all files at once', () => {
  it('collects the errors of every path in one LifeboatErrors', async () => {
    const errs = await errorsOf('tab.yml', 'bad-line.ini', 'cycle.yml');
    expect(errs.map((e) => e.src?.file.slice(FIX.length + 1))).toEqual([
      'tab.yml',
      'bad-line.ini',
      'bad-line.ini',
      'bad-line.ini',
      'cycle.yml',
    ]);
  });
});
