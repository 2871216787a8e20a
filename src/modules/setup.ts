import { globToRegExp } from '../glob.js';
import { failedOp, parseKeyValues } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * setup — gather facts in ONE command per host: hostname, FQDN, OS and version, default IPv4, service manager,
 * CPUs, memory, kernel, architecture. Returned as ansible_facts under Ansible's names (ansible_hostname,
 * ansible_fqdn, ansible_distribution, ansible_distribution_version, ansible_distribution_major_version,
 * ansible_distribution_release, ansible_os_family, ansible_default_ipv4.{address,interface,gateway},
 * ansible_all_ipv4_addresses, ansible_service_mgr, ansible_processor_vcpus, ansible_memtotal_mb,
 * ansible_memfree_mb, ansible_kernel, ansible_architecture, ansible_system, ansible_user_id, ansible_nodename,
 * ansible_domain, ansible_machine_id). `filter` keeps only facts whose names match its globs.
 */
/** The facts setup gathers (what a plan that could not gather them treats as "unknown until run"). */
export const SETUP_FACT_NAMES: readonly string[] = [
  'ansible_hostname',
  'ansible_nodename',
  'ansible_fqdn',
  'ansible_domain',
  'ansible_distribution',
  'ansible_distribution_version',
  'ansible_distribution_major_version',
  'ansible_distribution_release',
  'ansible_os_family',
  'ansible_system',
  'ansible_kernel',
  'ansible_architecture',
  'ansible_user_id',
  'ansible_service_mgr',
  'ansible_processor_vcpus',
  'ansible_memtotal_mb',
  'ansible_memfree_mb',
  'ansible_swaptotal_mb',
  'ansible_default_ipv4',
  'ansible_all_ipv4_addresses',
  'ansible_interfaces',
  'ansible_machine_id',
  'ansible_date_time',
];

export interface SetupArgs {
  filter?: string | string[];
  gather_subset?: string | string[];
  gather_timeout?: number;
}

export const setupSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    filter: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    gather_subset: {
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      description: 'accepted for compatibility; every fact listed is cheap and always gathered',
    },
    gather_timeout: { type: 'integer', minimum: 1 },
  },
};

/** The one fact-gathering command: `key=value` lines, nothing that needs root. */
export const SETUP_COMMAND = [
  'echo hostname=$(hostname -s 2>/dev/null || hostname)',
  'echo fqdn=$(timeout 2 hostname -f 2>/dev/null || hostname)',
  'echo nodename=$(uname -n); echo kernel=$(uname -r); echo arch=$(uname -m); echo system=$(uname -s)',
  'echo user=$(id -un)',
  'if [ -r /etc/os-release ]; then . /etc/os-release; echo "os_id=$ID"; echo "os_like=$ID_LIKE"; echo "os_version=$VERSION_ID"; echo "os_codename=$VERSION_CODENAME"; echo "os_name=$NAME"; fi',
  'if [ -r /etc/debian_version ]; then echo "debian_version=$(cat /etc/debian_version)"; fi',
  'if [ -d /run/systemd/system ]; then echo mgr=systemd; elif [ -x /sbin/openrc-run ] || [ -x /sbin/openrc ]; then echo mgr=openrc; elif [ -x /sbin/initctl ] && /sbin/initctl version 2>/dev/null | grep -q upstart; then echo mgr=upstart; else echo mgr=sysvinit; fi',
  'echo vcpus=$(grep -c ^processor /proc/cpuinfo 2>/dev/null || nproc)',
  'awk \'/^MemTotal:/{print "memtotal_kb=" $2} /^MemFree:/{print "memfree_kb=" $2} /^SwapTotal:/{print "swaptotal_kb=" $2}\' /proc/meminfo 2>/dev/null',
  'r=$(ip -4 route get 1.0.0.0 2>/dev/null | head -1); if [ -z "$r" ]; then r=$(ip -4 route show default 2>/dev/null | head -1); fi; echo "route=$r"',
  'ip -4 -o addr show 2>/dev/null | awk \'{split($4,a,"/"); print "addr=" $2 " " a[1] " " a[2]}\'',
  'if [ -r /etc/machine-id ]; then echo machine_id=$(cat /etc/machine-id); fi',
  'echo "now=$(date \'+%s %z %Z\')"',
  'true',
].join('; ');

const DISTRO: Record<string, [string, string]> = {
  debian: ['Debian', 'Debian'],
  ubuntu: ['Ubuntu', 'Debian'],
  linuxmint: ['Linux Mint', 'Debian'],
  raspbian: ['Debian', 'Debian'],
  kali: ['Kali', 'Debian'],
  uos: ['Uos', 'Debian'],
  deepin: ['Deepin', 'Debian'],
  centos: ['CentOS', 'RedHat'],
  rhel: ['RedHat', 'RedHat'],
  rocky: ['Rocky', 'RedHat'],
  almalinux: ['AlmaLinux', 'RedHat'],
  ol: ['OracleLinux', 'RedHat'],
  fedora: ['Fedora', 'RedHat'],
  amzn: ['Amazon', 'RedHat'],
  openEuler: ['openEuler', 'RedHat'],
  openeuler: ['openEuler', 'RedHat'],
  anolis: ['Anolis', 'RedHat'],
  kylin: ['Kylin Linux Advanced Server', 'RedHat'],
  sles: ['SLES', 'Suse'],
  'opensuse-leap': ['openSUSE Leap', 'Suse'],
  'opensuse-tumbleweed': ['openSUSE Tumbleweed', 'Suse'],
  arch: ['Archlinux', 'Archlinux'],
  alpine: ['Alpine', 'Alpine'],
  gentoo: ['Gentoo', 'Gentoo'],
};

/** Ansible's ansible_date_time from the host's `date '+%s %z %Z'` (local fields in the host's time zone). */
export function dateTime(now: string): Record<string, string> {
  const [epoch = '0', offset = '+0000', tz = 'UTC'] = now.trim().split(/\s+/);
  const sign = offset.startsWith('-') ? -1 : 1;
  const offMin = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  const utc = new Date(Number(epoch) * 1000);
  const local = new Date(utc.getTime() + offMin * 60_000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const date = `${local.getUTCFullYear()}-${p2(local.getUTCMonth() + 1)}-${p2(local.getUTCDate())}`;
  const time = `${p2(local.getUTCHours())}:${p2(local.getUTCMinutes())}:${p2(local.getUTCSeconds())}`;
  return {
    epoch,
    date,
    time,
    year: String(local.getUTCFullYear()),
    month: p2(local.getUTCMonth() + 1),
    day: p2(local.getUTCDate()),
    hour: p2(local.getUTCHours()),
    minute: p2(local.getUTCMinutes()),
    second: p2(local.getUTCSeconds()),
    iso8601: `${utc.toISOString().slice(0, 19)}Z`,
    iso8601_basic_short: `${date.replace(/-/g, '')}T${time.replace(/:/g, '')}`,
    tz,
    tz_offset: offset,
  };
}

export function parseFacts(stdout: string): Record<string, unknown> {
  const kv = parseKeyValues(stdout);
  const get = (k: string) => kv.get(k) ?? '';
  const id = get('os_id');
  const like = get('os_like').split(/\s+/).filter(Boolean);
  const known = DISTRO[id] ?? like.map((l) => DISTRO[l]).find(Boolean);
  const distribution = DISTRO[id]?.[0] ?? (get('os_name') || 'Unknown');
  const family = known?.[1] ?? (distribution === 'Unknown' ? 'Unknown' : distribution);
  let version = get('os_version');
  if (id === 'debian' && /^\d+(\.\d+)*$/.test(get('debian_version'))) version = get('debian_version');
  if (!version && get('debian_version')) version = get('debian_version');
  const fqdn = get('fqdn');
  const addrs: Array<{ iface: string; address: string; prefix: string }> = [];
  for (const line of stdout.split('\n')) {
    const m = /^addr=(\S+) (\S+) (\S+)$/.exec(line);
    if (m) addrs.push({ iface: m[1] as string, address: m[2] as string, prefix: m[3] as string });
  }
  const route = get('route');
  const iface = /\bdev (\S+)/.exec(route)?.[1];
  const src = /\bsrc (\S+)/.exec(route)?.[1];
  const gateway = /\bvia (\S+)/.exec(route)?.[1];
  const def = addrs.find((x) => (src ? x.address === src : x.iface === iface)) ?? addrs.find((x) => x.iface === iface);
  const defaultIpv4: Record<string, unknown> = {};
  if (def || src) {
    defaultIpv4.address = src ?? def?.address;
    defaultIpv4.interface = iface ?? def?.iface;
    if (def) defaultIpv4.prefix = def.prefix;
    if (gateway) defaultIpv4.gateway = gateway;
  }
  const mb = (k: string) => (kv.has(k) ? Math.floor(Number(get(k)) / 1024) : undefined);
  const facts: Record<string, unknown> = {
    ansible_hostname: get('hostname'),
    ansible_nodename: get('nodename'),
    ansible_fqdn: fqdn,
    ansible_domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    ansible_distribution: distribution,
    ansible_distribution_version: version,
    ansible_distribution_major_version: version.split('.')[0] ?? '',
    ansible_distribution_release: get('os_codename'),
    ansible_os_family: family,
    ansible_system: get('system'),
    ansible_kernel: get('kernel'),
    ansible_architecture: get('arch'),
    ansible_user_id: get('user'),
    ansible_service_mgr: get('mgr'),
    ansible_processor_vcpus: Number(get('vcpus')) || 0,
    ansible_memtotal_mb: mb('memtotal_kb'),
    ansible_memfree_mb: mb('memfree_kb'),
    ansible_swaptotal_mb: mb('swaptotal_kb'),
    ansible_default_ipv4: defaultIpv4,
    ansible_all_ipv4_addresses: addrs.filter((x) => !x.address.startsWith('127.')).map((x) => x.address),
    ansible_interfaces: [...new Set(addrs.map((x) => x.iface))],
    ...(kv.has('machine_id') ? { ansible_machine_id: get('machine_id') } : {}),
    ...(kv.has('now') ? { ansible_date_time: dateTime(get('now')) } : {}),
  };
  return facts;
}

export const setupModule: ModuleDef<SetupArgs> = {
  name: 'setup',
  summary: 'Gather host facts (one command): hostname, OS, IPv4, service manager, CPUs, memory',
  schema: setupSchema,
  async plan(ctx): Promise<Operation> {
    const r = await ctx.conn.exec(SETUP_COMMAND, {
      ...(ctx.args.gather_timeout ? { timeoutMs: ctx.args.gather_timeout * 1000 } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (r.rc !== 0 || r.signal) {
      return failedOp(`fact gathering failed: ${(r.stderr || r.stdout).trim()}`);
    }
    let facts = parseFacts(r.stdout);
    const filter = ctx.args.filter;
    if (filter !== undefined && filter !== '' && !(Array.isArray(filter) && filter.length === 0)) {
      const globs = (Array.isArray(filter) ? filter : [filter]).map(globToRegExp);
      facts = Object.fromEntries(Object.entries(facts).filter(([k]) => globs.some((g) => g.test(k))));
    }
    return { changed: false, steps: [], result: { changed: false, ansible_facts: facts } };
  },
};

registerModule(setupModule);
registerModule({ ...setupModule, name: 'gather_facts' });
