import { posix } from 'node:path';
import { shellQuote } from '../connection/quote.js';
import { argError, failedOp, missingNow, parseKeyValues, probe } from './common.js';
import { modeArg } from './copy.js';
import { downloadScript, type HttpOptions } from './lib/http-fetch.js';
import { sameOwner } from './lib/remote-stat.js';
import { probeDest } from './lib/write-file.js';
import { formatMode, targetMode } from './mode.js';
import { registerModule } from './registry.js';
import type { ModuleContext, ModuleDef, ModuleResult, Operation, Step, StepOutcome } from './types.js';

/**
 * get_url — download a URL on the host (the host's curl, else wget, else python3: lib/http-fetch.ts), as Ansible
 * downloads on the managed node. No download when dest exists and either its checksum matches `checksum` or
 * (without checksum) `force` is off. With `force: yes` (or dest a directory) the file is fetched and replaced
 * only when its content differs: the plan says "unknown". The checksum is verified before the file is moved
 * into place; a mismatch fails and leaves dest alone.
 *
 * Returns: dest, url, checksum_src / checksum_dest (sha1), status_code, size, msg, mode.
 */
export interface GetUrlArgs {
  url: string;
  dest: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  checksum?: string;
  force?: boolean;
  timeout?: number;
  headers?: Record<string, unknown>;
  validate_certs?: boolean;
  url_username?: string;
  url_password?: string;
  force_basic_auth?: boolean;
  http_agent?: string;
  use_proxy?: boolean;
  /** A client certificate (PEM) on the host, for TLS client authentication; the key in it or in client_key. */
  client_cert?: string;
  client_key?: string;
  /** A CA bundle (PEM) on the host to verify the server with, instead of the system's. */
  ca_path?: string;
  unsafe_writes?: boolean;
}

/** Request options shared by get_url and uri. */
export const httpSchema = {
  url: { type: 'string', minLength: 1 },
  timeout: { type: 'integer', minimum: 1 },
  headers: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
  validate_certs: { type: 'boolean' },
  url_username: { type: 'string' },
  url_password: { type: 'string' },
  force_basic_auth: { type: 'boolean' },
  http_agent: { type: 'string', minLength: 1 },
  use_proxy: { type: 'boolean' },
  client_cert: { type: 'string', minLength: 1 },
  client_key: { type: 'string', minLength: 1 },
  ca_path: { type: 'string', minLength: 1 },
} as const;

const ALGOS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

export const getUrlSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'dest'],
  properties: {
    ...httpSchema,
    dest: { type: 'string', minLength: 1 },
    mode: { type: ['string', 'integer'] },
    owner: { type: 'string', minLength: 1 },
    group: { type: 'string', minLength: 1 },
    checksum: { type: 'string' },
    force: { type: 'boolean' },
    unsafe_writes: { type: 'boolean' },
  },
};

type HttpArgs = Pick<GetUrlArgs, 'url' | 'timeout' | 'headers' | 'validate_certs' | 'url_username' | 'url_password' | 'http_agent' | 'use_proxy' | 'client_cert' | 'client_key' | 'ca_path'>;

/** The request options and the secrets in them (the password, an Authorization header). */
export function httpOptions(a: HttpArgs, dfltTimeout: number): { opts: HttpOptions; secrets: string[] } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.headers ?? {})) headers[k] = String(v);
  const secrets: string[] = [];
  if (a.url_username !== undefined) {
    const basic = Buffer.from(`${a.url_username}:${a.url_password ?? ''}`).toString('base64');
    headers.Authorization = `Basic ${basic}`;
    if (a.url_password) secrets.push(a.url_password);
  }
  for (const [k, v] of Object.entries(headers)) if (/^(authorization|proxy-authorization|x-auth-token|cookie)$/i.test(k)) secrets.push(v);
  return {
    opts: {
      url: a.url,
      headers,
      timeout: a.timeout ?? dfltTimeout,
      validateCerts: a.validate_certs ?? true,
      agent: a.http_agent ?? 'ansible-httpget',
      useProxy: a.use_proxy ?? true,
      ...(a.client_cert !== undefined ? { clientCert: a.client_cert } : {}),
      ...(a.client_key !== undefined ? { clientKey: a.client_key } : {}),
      ...(a.ca_path !== undefined ? { caPath: a.ca_path } : {}),
    },
    secrets,
  };
}

export function parseChecksum(text: string): { algo: string; hex: string } | undefined {
  if (text === '') return undefined;
  const i = text.indexOf(':');
  const algo = i > 0 ? text.slice(0, i).toLowerCase() : '';
  const hex = text.slice(i + 1).trim().toLowerCase();
  if (!ALGOS.includes(algo)) throw new Error(`checksum '${text}' must be <algorithm>:<hex digest> with one of ${ALGOS.join(', ')}`);
  if (/^(https?|ftp|file):/.test(hex))
    throw new Error('a checksum given as the URL of a checksum file is not supported: fetch it first (uri or slurp) and pass the digest');
  if (!/^[0-9a-f]+$/.test(hex)) throw new Error(`checksum '${text}': the digest must be hexadecimal`);
  return { algo, hex };
}

function finish(base: Partial<ModuleResult>, outcomes: StepOutcome[]): ModuleResult {
  const r: ModuleResult = { ...base, changed: false };
  for (const o of outcomes) {
    const kv = parseKeyValues(o.exec?.stdout ?? '');
    if (kv.has('tool')) {
      r.status_code = Number(kv.get('status_code')) || undefined;
      if (kv.get('checksum_src')) r.checksum_src = kv.get('checksum_src');
      if (kv.get('size')) r.size = Number(kv.get('size'));
      if (kv.get('changed') === '1') r.changed = true;
      if (kv.get('changed') === '1' && r.checksum_src) r.checksum_dest = r.checksum_src;
      r.msg = `OK (${r.size ?? 0} bytes)`;
    } else if (o.error === undefined) r.changed = true;
    if (o.error !== undefined) {
      r.failed = true;
      const why = parseKeyValues(o.exec?.stderr ?? '').get('msg');
      r.msg = why ?? `${o.error}${o.exec?.stderr ? `: ${o.exec.stderr.trim()}` : ''}`;
      if (o.exec) r.rc = o.exec.rc;
    }
  }
  return r;
}

async function planGetUrl(ctx: ModuleContext<GetUrlArgs>): Promise<Operation> {
  const a = ctx.args;
  const mode = modeArg('get_url', ctx, a.mode);
  let checksum: ReturnType<typeof parseChecksum>;
  try {
    checksum = parseChecksum(a.checksum ?? '');
  } catch (e) {
    throw argError('get_url', ctx, (e as Error).message, 'checksum: "sha256:<64 hex digits>"');
  }
  const { opts, secrets } = httpOptions(a, 10);
  let dest = a.dest;
  let facts = await probeDest(ctx, dest, 'get_url');
  const intoDir = facts.stat.exists && facts.stat.type === 'directory';
  if (intoDir) {
    const name = posix.basename(new URL(a.url, 'file:///').pathname);
    if (!name) throw argError('get_url', ctx, `dest ${dest} is a directory and the URL names no file`, 'give dest a file name');
    dest = posix.join(dest, name);
    facts = await probeDest(ctx, dest, 'get_url');
  }
  const st = facts.stat;
  const base = { dest, url: a.url, ...(st.sha1 ? { checksum_dest: st.sha1 } : {}) };
  if (st.exists && st.type === 'directory') return failedOp(`get_url: ${dest} is a directory`, base);
  if (!facts.parentExists)
    return missingNow(ctx, `get_url: destination directory ${posix.dirname(dest)} does not exist`, base);

  let matches: boolean | undefined;
  if (checksum && st.exists) {
    let cur = checksum.algo === 'sha256' ? st.sha256 : checksum.algo === 'sha1' ? st.sha1 : undefined;
    if (cur === undefined) {
      const r = await probe(ctx, `${checksum.algo}sum < ${shellQuote(dest)}`);
      cur = r.rc === 0 ? r.stdout.split(' ')[0] : undefined;
    }
    matches = cur === checksum.hex;
  }
  // yes: a download that replaces dest; maybe: fetched and compared; no: dest stays
  const download = !st.exists ? 'yes' : matches === true ? 'no' : matches === false ? 'yes' : a.force || intoDir ? 'maybe' : 'no';
  const want = mode ? targetMode(mode, st.exists ? st.mode : 0o644, false) : undefined;
  const who = `${a.owner ?? ''}${a.group !== undefined ? `:${a.group}` : ''}`;
  const steps: Step[] = [];
  if (download !== 'no')
    steps.push({
      kind: 'exec',
      cmd: downloadScript({
        ...opts,
        dest,
        ...(checksum ? { checksum } : {}),
        ...(want !== undefined ? { mode: formatMode(want) } : {}),
        ...(who ? { chown: who } : {}),
      }),
      description: `download ${a.url} to ${dest} on the host (curl, wget or python3)${checksum ? `, checking ${checksum.algo}` : ''}`,
      ...(st.exists ? { destructive: `replaces ${dest} when the download differs` } : {}),
      ...(secrets.length ? { secrets } : {}),
      timeoutMs: Math.max(600, opts.timeout * 60) * 1000,
    });
  if (st.exists && download !== 'yes') {
    if (want !== undefined && want !== st.mode)
      steps.push({ kind: 'exec', cmd: `chmod ${formatMode(want)} -- ${shellQuote(dest)}`, description: `mode of ${dest}` });
    if (!sameOwner(a.owner, st.owner, st.uid) || !sameOwner(a.group, st.group, st.gid))
      steps.push({ kind: 'exec', cmd: `chown ${shellQuote(who)} -- ${shellQuote(dest)}`, description: `owner of ${dest}` });
  }
  const attrs = steps.length - (download !== 'no' ? 1 : 0);
  const kept: ModuleResult = {
    ...base,
    changed: false,
    msg: 'file already exists',
    ...(want !== undefined ? { mode: formatMode(want) } : st.mode !== undefined ? { mode: formatMode(st.mode) } : {}),
  };
  return {
    changed: download === 'yes' || attrs > 0 ? true : download === 'maybe' ? 'unknown' : false,
    steps,
    ...(download === 'maybe' ? { notes: [`${dest} is fetched again and replaced only if its content differs`] } : {}),
    result: kept,
    finish: (outcomes) => (outcomes.length ? finish(kept, outcomes) : kept),
  };
}

export const getUrlModule: ModuleDef<GetUrlArgs> = {
  name: 'get_url',
  summary: 'Download a URL on the host (curl, wget or python3), checksum-verified, idempotent',
  schema: getUrlSchema,
  plan: planGetUrl,
};

registerModule(getUrlModule);
