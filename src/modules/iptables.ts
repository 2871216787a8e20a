import { shellJoin } from '../connection/quote.js';
import { argError, asList, listSchema, probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * iptables (a common subset of Ansible's) — one rule in a chain, a chain's policy, a flush, a user chain. The
 * rule is built in Ansible's order, so the same arguments give the same rule text; `iptables -C` says whether it
 * is there. present: `-A` (or `-I [rule_num]` with action: insert) when missing; absent: `-D` when present.
 * policy: `-P` when `-L` shows another; flush: `-F` (always a change, as Ansible). Rules are not saved.
 */
export interface IptablesArgs {
  table?: 'filter' | 'nat' | 'mangle' | 'raw' | 'security';
  chain?: string;
  state?: 'present' | 'absent';
  action?: 'append' | 'insert';
  rule_num?: string | number;
  ip_version?: 'ipv4' | 'ipv6';
  protocol?: string;
  source?: string;
  destination?: string;
  match?: string | string[];
  jump?: string;
  goto?: string;
  log_prefix?: string;
  to_destination?: string;
  destination_ports?: string | string[];
  to_source?: string;
  in_interface?: string;
  out_interface?: string;
  source_port?: string | number;
  destination_port?: string | number;
  to_ports?: string | number;
  ctstate?: string | string[];
  limit?: string;
  reject_with?: string;
  icmp_type?: string;
  comment?: string;
  policy?: 'ACCEPT' | 'DROP' | 'QUEUE' | 'RETURN';
  flush?: boolean;
  chain_management?: boolean;
  wait?: string | number;
}

const str = { type: 'string', minLength: 1 } as const;
const port = { type: ['string', 'integer'] } as const;
const list = listSchema;

export const iptablesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    table: { type: 'string', enum: ['filter', 'nat', 'mangle', 'raw', 'security'] },
    chain: str,
    state: { type: 'string', enum: ['present', 'absent'] },
    action: { type: 'string', enum: ['append', 'insert'] },
    rule_num: port,
    ip_version: { type: 'string', enum: ['ipv4', 'ipv6'] },
    ...Object.fromEntries(
      ['protocol', 'source', 'destination', 'jump', 'goto', 'log_prefix', 'to_destination', 'to_source', 'in_interface', 'out_interface', 'limit', 'reject_with', 'icmp_type', 'comment'].map((k) => [k, str]),
    ),
    match: list,
    destination_ports: list,
    ctstate: list,
    source_port: port,
    destination_port: port,
    to_ports: port,
    policy: { type: 'string', enum: ['ACCEPT', 'DROP', 'QUEUE', 'RETURN'] },
    flush: { type: 'boolean' },
    chain_management: { type: 'boolean' },
    wait: port,
  },
};

/** The rule's words, in the order Ansible's construct_rule puts them. */
export function ruleArgs(args: IptablesArgs): string[] {
  const a = { ...args, match: asList(args.match), destination_ports: asList(args.destination_ports), ctstate: asList(args.ctstate) };
  const r: string[] = [];
  const p = (v: unknown, flag: string) => {
    if (v !== undefined && v !== null && v !== '') r.push(flag, String(v));
  };
  const m = (on: unknown, name: string) => {
    if (on !== undefined && !(Array.isArray(on) && on.length === 0)) r.push('-m', name);
  };
  p(a.protocol, '-p');
  p(a.source, '-s');
  p(a.destination, '-d');
  for (const x of a.match ?? []) r.push('-m', x);
  p(a.jump, '-j');
  p(a.log_prefix, '--log-prefix');
  p(a.to_destination, '--to-destination');
  m(a.destination_ports, 'multiport');
  if (a.destination_ports?.length) r.push('--dports', a.destination_ports.join(','));
  p(a.to_source, '--to-source');
  p(a.goto, '-g');
  p(a.in_interface, '-i');
  p(a.out_interface, '-o');
  p(a.source_port, '--source-port');
  p(a.destination_port, '--destination-port');
  p(a.to_ports, '--to-ports');
  m(a.ctstate, 'conntrack');
  if (a.ctstate?.length) r.push('--ctstate', a.ctstate.join(','));
  m(a.limit, 'limit');
  p(a.limit, '--limit');
  p(a.reject_with, '--reject-with');
  p(a.icmp_type, a.ip_version === 'ipv6' ? '--icmpv6-type' : '--icmp-type');
  m(a.comment, 'comment');
  p(a.comment, '--comment');
  return r;
}

export const iptablesModule: ModuleDef<IptablesArgs> = {
  name: 'iptables',
  summary: 'One iptables rule, a chain policy, a flush or a user chain (not saved)',
  schema: iptablesSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const bin = a.ip_version === 'ipv6' ? 'ip6tables' : 'iptables';
    const base = [bin, ...(a.wait !== undefined ? ['-w', String(a.wait)] : []), '-t', a.table ?? 'filter'];
    const chain = a.chain;
    const result = { chain, table: a.table ?? 'filter', ip_version: a.ip_version ?? 'ipv4', state: a.state ?? 'present', rule: '' };
    const steps: Step[] = [];
    if (a.flush) {
      steps.push({ kind: 'exec', cmd: shellJoin([...base, '-F', ...(chain ? [chain] : [])]), description: `flush ${chain ?? 'every chain'}`, destructive: 'removes rules' });
      return { changed: true, steps, result: { ...result, flush: true } };
    }
    if (!chain) throw argError('iptables', ctx, 'chain is required (unless flush: yes)', 'chain: INPUT');
    const listed = await probe(ctx, shellJoin([...base, '-L', chain, '-n']));
    const exists = listed.rc === 0;
    if (!exists && /command not found|not found/.test(listed.stderr))
      throw argError('iptables', ctx, `${bin} is not installed on the host`, `install the ${bin === 'iptables' ? 'iptables' : 'iptables (ip6tables)'} package first`);
    if (a.policy !== undefined) {
      const cur = /\(policy (\w+)/.exec(listed.stdout)?.[1];
      if (cur !== a.policy) steps.push({ kind: 'exec', cmd: shellJoin([...base, '-P', chain, a.policy]), description: `policy of ${chain}: ${a.policy}` });
      return { changed: steps.length > 0, steps, result: { ...result, policy: a.policy } };
    }
    const rule = ruleArgs(a);
    result.rule = rule.join(' ');
    const state = a.state ?? 'present';
    if (!exists) {
      if (state === 'absent') return { changed: false, steps: [], result };
      if (!a.chain_management) throw argError('iptables', ctx, `chain ${chain} does not exist in table ${result.table}`, 'set chain_management: true to create it');
      steps.push({ kind: 'exec', cmd: shellJoin([...base, '-N', chain]), description: `create chain ${chain}` });
      if (rule.length === 0) return { changed: true, steps, result };
    } else if (rule.length === 0 && a.chain_management) {
      if (state === 'absent') steps.push({ kind: 'exec', cmd: shellJoin([...base, '-X', chain]), description: `delete chain ${chain}`, destructive: `deletes chain ${chain}` });
      return { changed: steps.length > 0, steps, result };
    }
    const present = exists && (await probe(ctx, shellJoin([...base, '-C', chain, ...rule]))).rc === 0;
    if (state === 'present' && !present) {
      const where = a.action === 'insert' ? ['-I', chain, ...(a.rule_num !== undefined ? [String(a.rule_num)] : [])] : ['-A', chain];
      steps.push({ kind: 'exec', cmd: shellJoin([...base, ...where, ...rule]), description: `${a.action === 'insert' ? 'insert' : 'append'} rule in ${chain}` });
    }
    if (state === 'absent' && present)
      steps.push({ kind: 'exec', cmd: shellJoin([...base, '-D', chain, ...rule]), description: `delete rule from ${chain}`, destructive: `removes a rule from ${chain}` });
    return { changed: steps.length > 0, steps, result };
  },
};

registerModule(iptablesModule);
