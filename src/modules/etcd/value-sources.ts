import type { ClusterPlan, ValueSource } from './types.js';

/** A value's source, as the plan and the preflight report say it. */
export function sourceText(s: ValueSource | undefined): string {
  if (!s) return 'unset';
  switch (s.from) {
    case 'inventory':
      return `inventory ${s.variable}`;
    case 'discovered':
      return s.files.length ? `${s.source} ${s.files.join(' + ')}` : s.source;
    case 'member-list':
      return `member list seen from ${s.host}`;
    case 'snapshot':
      return `snapshot manifest${s.file ? ` ${s.file}` : ''}`;
    case 'default':
      return 'default';
  }
}

/** One line per member: every value and where it came from. */
export function sourcesReport(plan: ClusterPlan): string[] {
  return plan.members.map((m) => {
    const s = plan.sources[m.host] ?? {};
    const parts = [
      `name ${m.name} (${sourceText(s.name)})`,
      `peer ${m.peer_url} (${sourceText(s.peer_url)})`,
      `client ${m.client_url} (${sourceText(s.client_url)})`,
      `data ${m.data_dir} (${sourceText(s.data_dir)})`,
      ...(m.wal_dir ? [`wal ${m.wal_dir} (${sourceText(s.wal_dir)})`] : []),
      `tls ${m.tls.ca_file ? 'on' : 'off'} (${sourceText(s.tls)})`,
    ];
    return `${m.host}: ${parts.join(', ')}`;
  });
}

