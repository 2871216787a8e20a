import { shellJoin, shellQuote } from '../../connection/quote.js';

/**
 * A download run ON THE HOST (get_url), as Ansible fetches on the managed node: the host's curl, else its wget,
 * else its python3 (urllib). One shell script: download into a temporary file beside dest, check the HTTP status
 * and the checksum, compare with dest (sha1), move into place only when it differs, then mode/owner. It prints
 * `key=value` lines (status_code, checksum_src, size, changed, tool) that get_url's result is built from.
 */

export interface HttpOptions {
  url: string;
  /** Request headers, name → value (Authorization for url_username/url_password is added by the caller). */
  headers: Record<string, string>;
  /** Seconds without progress (connect, read) before giving up; Ansible's socket timeout. */
  timeout: number;
  validateCerts: boolean;
  agent: string;
  /** false: ignore http(s)_proxy in the environment (use_proxy: no). */
  useProxy: boolean;
  /** Follow redirects (default true). */
  follow?: boolean;
  /** TLS client authentication: a PEM certificate on the host, and its key when it is not in the same file. */
  clientCert?: string;
  clientKey?: string;
  /** A PEM CA bundle on the host that the server's certificate is verified against. */
  caPath?: string;
}

export interface DownloadSpec extends HttpOptions {
  dest: string;
  /** `algo` (sha256, sha1, md5, sha512, …) and the expected hex digest. */
  checksum?: { algo: string; hex: string };
  /** chmod argument for the new file (else: the old file's mode, or 0666 minus umask for a new one). */
  mode?: string;
  /** chown argument (`owner`, `:group`, `owner:group`). */
  chown?: string;
}

/** curl arguments shared by get_url and uri (everything but the output options). */
export function curlArgs(o: HttpOptions): string[] {
  const a = ['curl', '-sS', ...(o.follow === false ? [] : ['-L']), '--connect-timeout', String(o.timeout), '--speed-time', String(o.timeout), '--speed-limit', '1'];
  if (!o.validateCerts) a.push('-k');
  if (!o.useProxy) a.push('--noproxy', '*');
  a.push('-A', o.agent);
  if (o.clientCert !== undefined) a.push('--cert', o.clientCert);
  if (o.clientKey !== undefined) a.push('--key', o.clientKey);
  if (o.caPath !== undefined) a.push('--cacert', o.caPath);
  for (const [k, v] of Object.entries(o.headers)) a.push('-H', `${k}: ${v}`);
  return a;
}

function wgetArgs(o: HttpOptions): string[] {
  const a = ['wget', '-q', '-S', `--timeout=${o.timeout}`, '--tries=1', `--user-agent=${o.agent}`];
  if (!o.validateCerts) a.push('--no-check-certificate');
  if (!o.useProxy) a.push('--no-proxy');
  if (o.clientCert !== undefined) a.push(`--certificate=${o.clientCert}`);
  if (o.clientKey !== undefined) a.push(`--private-key=${o.clientKey}`);
  if (o.caPath !== undefined) a.push(`--ca-certificate=${o.caPath}`);
  for (const [k, v] of Object.entries(o.headers)) a.push(`--header=${k}: ${v}`);
  return a;
}

/** python3 fallback: argv = url out timeout validate proxy agent cert key ca headers…; prints the status code. */
const PY = [
  'import sys,ssl,urllib.request as u,urllib.error as e',
  'url,out,t,v,p,ag,cc,ck,ca=sys.argv[1:10]',
  'h={k.strip():x.strip() for k,x in (s.split(":",1) for s in sys.argv[10:])}',
  'h.setdefault("User-Agent",ag)',
  'hs=[u.ProxyHandler({})] if p=="0" else []',
  'c=ssl.create_default_context(cafile=ca or None)',
  'if v!="1":\n c.check_hostname=False;c.verify_mode=ssl.CERT_NONE',
  'if cc: c.load_cert_chain(cc,ck or None)',
  'hs.append(u.HTTPSHandler(context=c))',
  'o=u.build_opener(*hs)',
  'try:\n r=o.open(u.Request(url,headers=h),timeout=float(t))\nexcept e.HTTPError as x:\n print(x.code);sys.exit(22)',
  'f=open(out,"wb")',
  'while True:\n b=r.read(65536)\n if not b: break\n f.write(b)',
  'f.close();print(getattr(r,"status",200) or 200)',
].join('\n');

function pyArgs(o: HttpOptions): string {
  const hs = Object.entries(o.headers).map(([k, v]) => `${k}: ${v}`);
  const rest = [o.timeout, o.validateCerts ? '1' : '0', o.useProxy ? '1' : '0', o.agent, o.clientCert ?? '', o.clientKey ?? '', o.caPath ?? '', ...hs];
  return `python3 -c ${shellQuote(PY)} ${shellQuote(o.url)} "$t" ${shellJoin(rest)}`;
}

/** The shell that downloads `o.url` into the file named by `$t` and sets `$code`, `$tool`, `$rc`. */
export function fetchInto(o: HttpOptions): string {
  const http = /^https?:/i.test(o.url);
  return [
    'if command -v curl >/dev/null 2>&1; then tool=curl',
    `  code=$(${shellJoin([...curlArgs(o), '-o'])} "$t" -w '%{http_code}' -- ${shellQuote(o.url)}); rc=$?`,
    'elif command -v wget >/dev/null 2>&1; then tool=wget',
    `  ${shellJoin([...wgetArgs(o), '-O'])} "$t" -- ${shellQuote(o.url)} 2>"$t.h"; rc=$?`,
    `  code=$(awk '$1 ~ /^HTTP\\// {c=$2} END {print c}' "$t.h"); rm -f -- "$t.h"`,
    'elif command -v python3 >/dev/null 2>&1; then tool=python3',
    `  code=$(${pyArgs(o)}); rc=$?`,
    'else echo "msg=the host has neither curl, wget nor python3 to download with" >&2; exit 127; fi',
    `echo "tool=$tool"; echo "status_code=\${code:-}"`,
    http
      ? `case "$code" in 2??) rc=0 ;; *) echo "msg=Request failed: HTTP \${code:-none} ($tool exit code $rc)" >&2; exit 22 ;; esac`
      : '[ "$rc" -eq 0 ] || { echo "msg=Request failed ($tool exit code $rc)" >&2; exit "$rc"; }',
  ].join('\n');
}

export function downloadScript(s: DownloadSpec): string {
  const lines = [
    `d=${shellQuote(s.dest)}`,
    't=$(mktemp "$(dirname -- "$d")/.$(basename -- "$d").lifeboat-XXXXXX") || exit 1',
    `trap 'rm -f -- "$t" "$t.h"' EXIT`,
    fetchInto(s),
    `src=$(sha1sum < "$t") && src=\${src%% *} || exit 1`,
    'echo "checksum_src=$src"; echo "size=$(wc -c < "$t")"',
  ];
  if (s.checksum) {
    lines.push(
      `got=$(${s.checksum.algo}sum < "$t") && got=\${got%% *} || exit 1`,
      `[ "$got" = ${shellQuote(s.checksum.hex)} ] || { echo "msg=The checksum for $d did not match ${s.checksum.hex}; it was $got." >&2; exit 1; }`,
    );
  }
  lines.push(
    `if [ -f "$d" ] && old=$(sha1sum < "$d") && [ "\${old%% *}" = "$src" ]; then echo changed=0`,
    'else',
    '  if [ -e "$d" ]; then chmod --reference="$d" -- "$t" && chown --reference="$d" -- "$t" 2>/dev/null',
    '  else chmod "$(printf %o $((0666 & ~$(umask))))" -- "$t"; fi',
    ...(s.mode !== undefined ? [`  chmod ${shellQuote(s.mode)} -- "$t" || exit 1`] : []),
    ...(s.chown !== undefined ? [`  chown ${shellQuote(s.chown)} -- "$t" || exit 1`] : []),
    '  mv -f -- "$t" "$d" || exit 1; echo changed=1',
    'fi',
  );
  return lines.join('\n');
}
