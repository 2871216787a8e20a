import { shellJoin, shellQuote } from '../connection/quote.js';
import { argError, probe } from './common.js';
import { httpOptions, httpSchema } from './get_url.js';
import { curlArgs } from './lib/http-fetch.js';
import { registerModule } from './registry.js';
import type { ModuleContext, ModuleDef, ModuleResult, Operation, StepOutcome } from './types.js';

/**
 * uri — an HTTP request made ON THE HOST with its curl (the body goes on stdin, never on the command line). The
 * result is Ansible's: status, url, msg, content (return_content), json (a JSON response), each response header
 * as a lower_case key (content_type, …). A status outside `status_code` fails the task. `creates` / `removes`
 * skip it. As in Ansible, the result is never a change (use changed_when); the plan shows the request.
 */
export interface UriArgs {
  url: string;
  method?: string;
  body?: unknown;
  body_format?: 'raw' | 'json' | 'form-urlencoded';
  headers?: Record<string, unknown>;
  status_code?: number | string | (number | string)[];
  return_content?: boolean;
  validate_certs?: boolean;
  timeout?: number;
  url_username?: string;
  url_password?: string;
  force_basic_auth?: boolean;
  http_agent?: string;
  use_proxy?: boolean;
  client_cert?: string;
  client_key?: string;
  ca_path?: string;
  follow_redirects?: string | boolean;
  creates?: string;
  removes?: string;
}

export const uriSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    ...httpSchema,
    method: { type: 'string', minLength: 1 },
    body: {},
    body_format: { type: 'string', enum: ['raw', 'json', 'form-urlencoded'] },
    status_code: { type: ['integer', 'string', 'array'], items: { type: ['integer', 'string'] } },
    return_content: { type: 'boolean' },
    follow_redirects: { type: ['string', 'boolean'] },
    creates: { type: 'string', minLength: 1 },
    removes: { type: 'string', minLength: 1 },
  },
};

const MARK = '--lifeboat-uri--';

/** The request body as sent, and the Content-Type it implies. */
export function encodeBody(a: Pick<UriArgs, 'body' | 'body_format'>): { data?: string; type?: string } {
  if (a.body === undefined || a.body === null) return {};
  const fmt = a.body_format ?? 'raw';
  if (fmt === 'json') return { data: typeof a.body === 'string' ? a.body : JSON.stringify(a.body), type: 'application/json' };
  if (fmt === 'form-urlencoded') {
    if (typeof a.body === 'string') return { data: a.body, type: 'application/x-www-form-urlencoded' };
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(a.body as Record<string, unknown>)) p.append(k, String(v));
    return { data: p.toString(), type: 'application/x-www-form-urlencoded' };
  }
  return { data: typeof a.body === 'string' ? a.body : JSON.stringify(a.body) };
}

/** Parse the step's output: rc, status, final URL, then the response headers and the body (base64). */
export function parseResponse(stdout: string): { rc: number; status: number; url: string; headers: Record<string, string>; body: string } {
  const [head = '', rest = ''] = stdout.split(`${MARK}headers\n`);
  const [hdrs = '', b64 = ''] = rest.split(`${MARK}body\n`);
  const kv = new Map(head.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));
  const headers: Record<string, string> = {};
  // with redirects curl writes every response's headers: keep the last response's
  const blocks = hdrs.replace(/\r/g, '').split(/\n(?=HTTP\/)/);
  for (const line of (blocks[blocks.length - 1] ?? '').split('\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase().replace(/-/g, '_')] = line.slice(i + 1).trim();
  }
  return {
    rc: Number(kv.get('rc') ?? -1),
    status: Number(kv.get('code') ?? 0) || -1,
    url: kv.get('url') ?? '',
    headers,
    body: Buffer.from(b64.replace(/\s+/g, ''), 'base64').toString('utf8'),
  };
}

function statusList(ctx: ModuleContext<UriArgs>, v: UriArgs['status_code']): number[] {
  const list = (v === undefined ? [200] : Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : [v]).map(Number);
  if (list.some((n) => !Number.isInteger(n))) throw argError('uri', ctx, `status_code ${JSON.stringify(v)} must be numbers`, 'status_code: [200, 201]');
  return list;
}

function result(a: UriArgs, want: number[], outcomes: StepOutcome[]): ModuleResult {
  const o = outcomes[0];
  const r = parseResponse(o?.exec?.stdout ?? '');
  const res: ModuleResult = { changed: false, ...r.headers, status: r.status, url: r.url || a.url, redirected: r.url !== '' && r.url !== a.url };
  let json: unknown;
  if (/json/.test(r.headers.content_type ?? '') && r.body !== '') {
    try {
      json = JSON.parse(r.body);
    } catch {}
  }
  if (json !== undefined) res.json = json;
  const ok = r.rc === 0 && want.includes(r.status);
  if (a.return_content || !ok) res.content = r.body;
  if (ok) res.msg = `OK (${Buffer.byteLength(r.body)} bytes)`;
  else {
    const why = r.rc !== 0 ? `Request failed: ${(o?.exec?.stderr ?? '').trim() || `curl exit code ${r.rc}`}` : (r.body.slice(0, 200) || 'HTTP Error');
    res.failed = true;
    res.msg = `Status code was ${r.status} and not [${want.join(', ')}]: ${why}`;
  }
  return res;
}

async function planUri(ctx: ModuleContext<UriArgs>): Promise<Operation> {
  const a = ctx.args;
  const want = statusList(ctx, a.status_code);
  for (const [k, test, msg] of [
    ['creates', 0, 'exists'],
    ['removes', 1, 'does not exist'],
  ] as const) {
    const p = a[k];
    if (p !== undefined && (await probe(ctx, `test -e ${shellQuote(p)}`)).rc === test)
      return { changed: false, steps: [], result: { changed: false, msg: `skipped, since ${p} ${msg}`, url: a.url } };
  }
  const method = (a.method ?? 'GET').toUpperCase();
  const body = encodeBody(a);
  const headers = { ...(a.headers ?? {}) };
  if (body.type && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = body.type;
  const fr = String(a.follow_redirects ?? 'safe').toLowerCase();
  const follow = fr === 'all' || fr === 'yes' || fr === 'true' || fr === 'urllib2' || (fr === 'safe' && (method === 'GET' || method === 'HEAD'));
  const { opts, secrets } = httpOptions({ ...a, headers }, 30);
  const curl = shellJoin([...curlArgs({ ...opts, follow }), '-X', method, ...(body.data !== undefined ? ['--data-binary', '@-'] : [])]);
  const cmd = [
    'b=$(mktemp) && h=$(mktemp) || exit 1',
    `trap 'rm -f -- "$b" "$h"' EXIT`,
    `out=$(${curl} -D "$h" -o "$b" -w '%{http_code} %{url_effective}' -- ${shellQuote(a.url)}${body.data === undefined ? ' </dev/null' : ''}); rc=$?`,
    `echo "rc=$rc"; echo "code=\${out%% *}"; echo "url=\${out#* }"`,
    `echo ${MARK}headers; cat "$h"; echo; echo ${MARK}body; base64 < "$b"`,
  ].join('\n');
  return {
    changed: method === 'GET' || method === 'HEAD' ? false : 'unknown',
    steps: [
      {
        kind: 'exec',
        cmd,
        ...(body.data !== undefined ? { stdin: body.data } : {}),
        description: `${method} ${a.url} from the host (curl), expecting ${want.join('/')}`,
        ...(secrets.length ? { secrets } : {}),
        timeoutMs: (opts.timeout + 30) * 1000 * 4,
      },
    ],
    result: { changed: false, url: a.url },
    finish: (outcomes) => result(a, want, outcomes),
  };
}

export const uriModule: ModuleDef<UriArgs> = {
  name: 'uri',
  summary: 'Make an HTTP request from the host (curl); status, content, json for register',
  schema: uriSchema,
  plan: planUri,
};

registerModule(uriModule);
