import { inventoryGraph, inventoryHost, inventoryList } from '../../inventory/show.js';
import { loadInventory } from '../../inventory/index.js';
import { LifeboatError } from '../../errors.js';
import { INVENTORY_OPTS } from '../common.js';
import type { Io } from '../io.js';
import { inventoryPaths } from '../session.js';
import { bool, type CommandSpec, type Parsed, str } from '../spec.js';

export const inventorySpec: CommandSpec = {
  name: 'inventory',
  summary: 'Show the resolved inventory: groups, hosts and merged variables (like ansible-inventory).',
  usage: 'lifeboat inventory -i INVENTORY (--graph [GROUP] | --list | --host NAME) [--json]',
  options: [
    ...INVENTORY_OPTS,
    { name: 'graph', type: 'boolean', desc: 'Groups and hosts as a tree (a positional GROUP starts the tree there)' },
    { name: 'list', type: 'boolean', desc: 'Everything, with every host\'s merged variables' },
    { name: 'host', type: 'string', valueName: 'NAME', desc: 'One host\'s merged variables' },
    { name: 'vars', type: 'boolean', desc: 'With --graph: show variables too' },
    { name: 'json', type: 'boolean', desc: 'JSON output (--list and --host are JSON-shaped anyway; YAML-ish text otherwise)' },
  ],
  examples: [
    'lifeboat inventory -i inventories/kubeasz/hosts --graph',
    'lifeboat inventory -i inventories/prod --host etcd1',
    'lifeboat inventory -i hosts -i extra.yml --list --json',
  ],
};

export async function inventoryCommand(p: Parsed, io: Io): Promise<number> {
  const v = p.values;
  const inv = await loadInventory(inventoryPaths(v));
  const json = bool(v, 'json');
  const host = str(v, 'host');
  let out: unknown;
  if (host !== undefined) out = inventoryHost(inv, host);
  else if (bool(v, 'list')) out = inventoryList(inv);
  else if (bool(v, 'graph') || p.positionals.length === 0) {
    const text = inventoryGraph(inv, { group: p.positionals[0], vars: bool(v, 'vars') });
    if (json) out = inventoryList(inv);
    else {
      io.out.write(text.endsWith('\n') ? text : `${text}\n`);
      return 0;
    }
  } else {
    throw new LifeboatError('E_USAGE', 'choose one of --graph, --list or --host NAME');
  }
  io.out.json(out, 2);
  return 0;
}
