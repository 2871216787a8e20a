import { shellJoin, shellQuote } from '../connection/quote.js';
import { parseKeyValues, probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * user — a local account present (useradd; usermod for what differs: uid, primary group, supplementary groups,
 * home, shell, comment, password hash, lock) or absent (userdel, `remove: true` also deletes the home). One probe
 * (getent passwd/shadow, id). `groups` with `append: false` (the default) makes the supplementary groups exactly
 * that list, as Ansible. `password` is an already-hashed value (crypt), masked in every output.
 *
 * Returns: name, state, uid, group, groups, home, shell, comment, system, create_home.
 */
export interface UserArgs {
  name: string;
  state?: 'present' | 'absent';
  uid?: number;
  group?: string;
  groups?: string[] | string;
  append?: boolean;
  home?: string;
  shell?: string;
  comment?: string;
  create_home?: boolean;
  createhome?: boolean;
  move_home?: boolean;
  system?: boolean;
  password?: string;
  update_password?: 'always' | 'on_create';
  password_lock?: boolean;
  remove?: boolean;
  force?: boolean;
  non_unique?: boolean;
  expires?: number;
}

export const userSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9_.][A-Za-z0-9_.-]*\\$?$' },
    state: { type: 'string', enum: ['present', 'absent'] },
    uid: { type: 'integer', minimum: 0 },
    group: { type: 'string', minLength: 1 },
    groups: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }] },
    append: { type: 'boolean' },
    home: { type: 'string', minLength: 1 },
    shell: { type: 'string', minLength: 1 },
    comment: { type: 'string' },
    create_home: { type: 'boolean' },
    createhome: { type: 'boolean' },
    move_home: { type: 'boolean' },
    system: { type: 'boolean' },
    password: { type: 'string' },
    update_password: { type: 'string', enum: ['always', 'on_create'] },
    password_lock: { type: 'boolean' },
    remove: { type: 'boolean' },
    force: { type: 'boolean' },
    non_unique: { type: 'boolean' },
    expires: { type: 'number' },
    local: { type: 'boolean', description: 'accepted; accounts are always local (useradd)' },
  },
};

function groupList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const l = Array.isArray(v) ? v.map(String) : String(v).split(',');
  return l.map((s) => s.trim()).filter(Boolean);
}

export const userModule: ModuleDef<UserArgs> = {
  name: 'user',
  summary: 'Add, change or remove a local user account',
  schema: userSchema,
  async plan(ctx): Promise<Operation> {
    const a = ctx.args;
    const state = a.state ?? 'present';
    const n = shellQuote(a.name);
    const r = await probe(
      ctx,
      `p=$(getent passwd ${n}) || { echo exists=0; exit 0; }; echo exists=1; echo "pw=$p"; echo "gn=$(id -gn ${n})"; echo "sg=$(id -Gn ${n})"; echo "sh=$(getent shadow ${n} | cut -d: -f2)"`,
    );
    const kv = parseKeyValues(r.stdout);
    const exists = kv.get('exists') === '1';
    const [, , uidS, gidS, gecos, home, shell] = (kv.get('pw') ?? '').split(':');
    const primary = kv.get('gn') ?? '';
    const current = (kv.get('sg') ?? '').split(' ').filter((g) => g && g !== primary);
    const hash = kv.get('sh') ?? '';
    const want = groupList(a.groups);
    const steps: Step[] = [];
    const secrets = a.password ? [a.password] : [];
    if (state === 'absent') {
      if (exists)
        steps.push({ kind: 'exec', cmd: shellJoin(['userdel', ...(a.remove ? ['-r'] : []), ...(a.force ? ['-f'] : []), a.name]), description: `remove user ${a.name}`, destructive: `removes user ${a.name}${a.remove ? ' and its home' : ''}` });
      return { changed: steps.length > 0, steps, result: { name: a.name, state, ...(a.remove ? { remove: true } : {}) } };
    }
    const createHome = a.create_home ?? a.createhome ?? true;
    if (!exists) {
      const w = ['useradd'];
      if (a.uid !== undefined) w.push('-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
      if (a.group) w.push('-g', a.group);
      if (want?.length) w.push('-G', want.join(','));
      if (a.home) w.push('-d', a.home);
      if (a.shell) w.push('-s', a.shell);
      if (a.comment !== undefined) w.push('-c', a.comment);
      if (a.password) w.push('-p', a.password);
      if (a.system) w.push('-r');
      w.push(createHome ? '-m' : '-M');
      w.push(a.name);
      steps.push({ kind: 'exec', cmd: shellJoin(w), description: `add user ${a.name}`, ...(secrets.length ? { secrets } : {}) });
      if (a.password_lock) steps.push({ kind: 'exec', cmd: shellJoin(['usermod', '-L', a.name]), description: `lock the password of ${a.name}` });
    } else {
      const m: string[] = [];
      const what: string[] = [];
      const mod = (label: string, ...words: string[]) => {
        m.push(...words);
        what.push(label);
      };
      if (a.uid !== undefined && a.uid !== Number(uidS)) mod('uid', '-u', String(a.uid), ...(a.non_unique ? ['-o'] : []));
      if (a.group && a.group !== primary && a.group !== gidS) mod('group', '-g', a.group);
      if (want !== undefined) {
        const missing = want.filter((g) => !current.includes(g) && g !== primary);
        const extra = current.filter((g) => !want.includes(g));
        if (a.append ? missing.length : missing.length || extra.length)
          mod('groups', ...(a.append ? ['-a', '-G', missing.join(',')] : ['-G', want.filter((g) => g !== primary).join(',')]));
      }
      if (a.home && a.home !== home) mod('home', '-d', a.home, ...(a.move_home ? ['-m'] : []));
      if (a.shell && a.shell !== shell) mod('shell', '-s', a.shell);
      if (a.comment !== undefined && a.comment !== gecos) mod('comment', '-c', a.comment);
      if (a.password && (a.update_password ?? 'always') === 'always' && a.password !== hash.replace(/^!/, '')) mod('password', '-p', a.password);
      if (a.password_lock === true && !hash.startsWith('!')) mod('lock', '-L');
      if (a.password_lock === false && hash.startsWith('!')) mod('unlock', '-U');
      if (m.length) steps.push({ kind: 'exec', cmd: shellJoin(['usermod', ...m, a.name]), description: `change ${what.join(', ')} of user ${a.name}`, ...(secrets.length ? { secrets } : {}) });
    }
    return {
      changed: steps.length > 0,
      steps,
      result: {
        name: a.name,
        state,
        ...(exists && a.uid === undefined ? { uid: Number(uidS) } : a.uid !== undefined ? { uid: a.uid } : {}),
        ...(a.group || primary ? { group: a.group ?? primary } : {}),
        ...(want ? { groups: want.join(',') } : {}),
        home: a.home ?? home ?? `/home/${a.name}`,
        shell: a.shell ?? shell ?? '',
        ...(a.comment !== undefined || gecos !== undefined ? { comment: a.comment ?? gecos } : {}),
        system: a.system ?? false,
        create_home: createHome,
      },
    };
  },
};

registerModule(userModule);
