import { describe, expect, it } from 'vitest';
import { applySymbolic, formatMode, parseMode } from '../../src/modules/mode.js';
import { absent, present, readLines } from '../../src/modules/lineinfile-edit.js';
import { extractFreeFormKv, shlexSplit } from '../../src/modules/shlex.js';
import { commandWord } from '../../src/modules/command.js';
import { globWord } from '../../src/modules/lib/run-common.js';
import { parseStat } from '../../src/modules/lib/remote-stat.js';
import { parseFacts as serviceFacts } from '../../src/modules/lib/service-common.js';
import { parseFacts as setupFacts } from '../../src/modules/setup.js';
import { conditionCommand } from '../../src/modules/wait_for.js';
import { fetchDest } from '../../src/modules/fetch.js';

const edit = (text: string, spec: Parameters<typeof present>[1]) => present(readLines(text), spec);

describe('mode', () => {
  it('parses octal strings, integers and symbolic modes', () => {
    expect(parseMode('0644')).toEqual({ kind: 'octal', value: 0o644 });
    expect(parseMode('755')).toEqual({ kind: 'octal', value: 0o755 });
    expect(parseMode(0o640)).toEqual({ kind: 'octal', value: 0o640 });
    expect(parseMode(644)).toEqual({ kind: 'octal', value: 0o644 });
    expect(parseMode('u=rw,g=r,o=')).toEqual({ kind: 'symbolic', text: 'u=rw,g=r,o=' });
    expect(parseMode(undefined)).toBeUndefined();
    expect(() => parseMode('rwxr-xr-x')).toThrow(/neither octal/);
    expect(() => parseMode(99999)).toThrow(/out of range/);
  });
  it('applies symbolic modes as chmod', () => {
    expect(applySymbolic(0o644, 'u+x', false)).toBe(0o744);
    expect(applySymbolic(0o777, 'go-w', false)).toBe(0o755);
    expect(applySymbolic(0o600, 'g=u', false)).toBe(0o660);
    expect(applySymbolic(0o644, 'a+X', false)).toBe(0o644);
    expect(applySymbolic(0o644, 'a+X', true)).toBe(0o755);
    expect(applySymbolic(0o755, 'u=rw,go=', false)).toBe(0o600);
    expect(formatMode(0o1777)).toBe('1777');
  });
});

describe('lineinfile edit (Ansible rules)', () => {
  it('replaces the last regexp match, or the first with firstmatch', () => {
    expect(edit('a=1\nb=2\na=3\n', { regexp: '^a=', line: 'a=9' })).toMatchObject({
      lines: ['a=1\n', 'b=2\n', 'a=9\n'],
      msg: 'line replaced',
    });
    expect(edit('a=1\nb=2\na=3\n', { regexp: '^a=', line: 'a=9', firstmatch: true }).lines).toEqual([
      'a=9\n',
      'b=2\n',
      'a=3\n',
    ]);
  });
  it('adds at EOF by default, fixing a missing final newline; no change when present', () => {
    expect(edit('x', { line: 'y' }).lines.join('')).toBe('x\ny\n');
    expect(edit('x\ny\n', { line: 'y' })).toMatchObject({ changed: false });
    expect(edit('', { line: 'y' }).lines).toEqual(['y\n']);
  });
  it('insertafter / insertbefore a regexp, BOF', () => {
    expect(edit('[a]\nk=1\n[b]\n', { line: 'n=2', insertafter: '^\\[a\\]' }).lines.join('')).toBe(
      '[a]\nn=2\nk=1\n[b]\n',
    );
    expect(edit('[a]\n[b]\n', { line: 'n=2', insertbefore: '^\\[b\\]' }).lines.join('')).toBe('[a]\nn=2\n[b]\n');
    expect(edit('a\n', { line: '#!', insertbefore: 'BOF' }).lines.join('')).toBe('#!\na\n');
    // insertafter that matches nothing: append at the end
    expect(edit('a\n', { line: 'z', insertafter: '^nomatch' }).lines.join('')).toBe('a\nz\n');
    // a regexp that matches nothing, with the exact line present: no change
    expect(edit('a\nz\n', { regexp: '^q', line: 'z', insertafter: '^a' })).toMatchObject({ changed: false });
  });
  it('backrefs expand groups and do nothing without a match', () => {
    expect(edit('port=80\n', { regexp: '^port=(\\d+)$', line: 'port=\\g<1>0', backrefs: true }).lines).toEqual([
      'port=800\n',
    ]);
    expect(edit('name=x\n', { regexp: '^(?P<k>name)=', line: '\\g<k>=y', backrefs: true }).lines).toEqual(['name=y\n']);
    expect(edit('a\n', { regexp: '^b(.*)', line: 'c\\1', backrefs: true })).toMatchObject({ changed: false });
  });
  it('absent removes every match and counts them', () => {
    expect(absent(readLines('a\n#x\nb\n#y\n'), { regexp: '^#' })).toMatchObject({
      lines: ['a\n', 'b\n'],
      found: 2,
      msg: '2 line(s) removed',
    });
    expect(absent(readLines('a\n'), { line: 'b' })).toMatchObject({ changed: false, found: 0 });
  });
});

describe('command-line building', () => {
  it('splits like shlex and keeps quoting', () => {
    expect(shlexSplit(`echo "a b" 'c d' e\\ f #x`)).toEqual(['echo', 'a b', 'c d', 'e f', '#x']);
    expect(() => shlexSplit('echo "open')).toThrow(/no closing quotation/);
  });
  it('quotes every word; $VAR and ~ expand as in Ansible', () => {
    expect(commandWord('; rm -rf /')).toBe("'; rm -rf /'");
    expect(commandWord('$(reboot)')).toBe("'$(reboot)'");
    expect(commandWord('$HOME/x')).toBe('"$HOME/x"');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, not a template
    expect(commandWord('${A}`b`"c"')).toBe('"${A}\\`b\\`\\"c\\""');
    expect(commandWord('~/x y')).toBe("~/'x y'");
  });
  it('takes creates=/chdir= words out of a free-form command, outside quotes only', () => {
    expect(extractFreeFormKv('tar xf a.tgz creates=/opt/a chdir=/opt')).toEqual({
      rest: 'tar xf a.tgz',
      kv: { creates: '/opt/a', chdir: '/opt' },
    });
    expect(extractFreeFormKv('echo \'creates=x\'  "a  b"')).toEqual({ rest: 'echo \'creates=x\'  "a  b"', kv: {} });
  });
  it('keeps glob characters in creates patterns and quotes the rest', () => {
    expect(globWord('/var/lib/etcd backup/*.db')).toBe("'/var/lib/etcd backup/'*.db");
  });
});

describe('probe parsers', () => {
  it('parses a stat probe', () => {
    const st = parseStat(
      'exists=1\ntype=regular file\nsize=6\nmode=640\nuid=0\ngid=0\nowner=root\ngroup=root\nmtime=1\natime=2\nctime=3\ninode=4\ndev=5\nnlink=1\nreadable=1\nsha1=abc\nsha256=def\n',
    );
    expect(st).toMatchObject({ exists: true, type: 'file', mode: 0o640, owner: 'root', sha1: 'abc', readable: true });
    expect(parseStat('exists=0\n')).toEqual({ exists: false });
  });
  it('parses systemd and SysV service facts', () => {
    const sd = serviceFacts(
      'mgr=systemd\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nUnitFileState=enabled\nMainPID=0\n',
    );
    expect(sd).toMatchObject({ manager: 'systemd', found: true, running: false, enabled: true, masked: false });
    expect(serviceFacts('mgr=systemd\nLoadState=not-found\nActiveState=inactive\n').found).toBe(false);
    expect(serviceFacts('mgr=sysv\nscript=1\nstatus_rc=0\nenabled=1\n')).toMatchObject({
      manager: 'sysv',
      found: true,
      running: true,
      enabled: true,
    });
    expect(serviceFacts('mgr=sysv\nscript=1\nstatus_rc=3\n')).toMatchObject({ running: false, enabled: false });
  });
  it('maps setup output to Ansible fact names', () => {
    const f = setupFacts(
      [
        'hostname=db1',
        'fqdn=db1.example.org',
        'os_id=rocky',
        'os_like=rhel centos fedora',
        'os_version=9.3',
        'os_codename=',
        'mgr=systemd',
        'vcpus=4',
        'memtotal_kb=8048576',
        'route=1.0.0.0 via 10.0.0.1 dev eth0 src 10.0.0.5 uid 0',
        'addr=lo 127.0.0.1 8',
        'addr=eth0 10.0.0.5 24',
      ].join('\n'),
    );
    expect(f).toMatchObject({
      ansible_hostname: 'db1',
      ansible_domain: 'example.org',
      ansible_distribution: 'Rocky',
      ansible_os_family: 'RedHat',
      ansible_distribution_major_version: '9',
      ansible_service_mgr: 'systemd',
      ansible_processor_vcpus: 4,
      ansible_memtotal_mb: 7859,
      ansible_default_ipv4: { address: '10.0.0.5', interface: 'eth0', gateway: '10.0.0.1', prefix: '24' },
      ansible_all_ipv4_addresses: ['10.0.0.5'],
    });
    expect(setupFacts('os_id=debian\nos_version=12\ndebian_version=12.5\n').ansible_distribution_version).toBe('12.5');
    expect(setupFacts('now=1795835400 +0800 CST\n').ansible_date_time).toMatchObject({
      epoch: '1795835400',
      iso8601: '2026-11-28T03:10:00Z',
      date: '2026-11-28',
      time: '11:10:00',
      hour: '11',
      tz: 'CST',
      tz_offset: '+0800',
      iso8601_basic_short: '20261128T111000',
    });
  });
});

describe('wait_for conditions and fetch paths', () => {
  it('builds conditions with quoted values', () => {
    expect(conditionCommand({ path: '/tmp/a b; rm -rf /' })).toBe("[ -e '/tmp/a b; rm -rf /' ]");
    expect(conditionCommand({ path: '/x', state: 'absent' })).toBe('[ ! -e /x ]');
    expect(conditionCommand({ path: '/x', search_regex: "it's" })).toContain(`grep -Eq -- 'it'\\''s' /x`);
    expect(conditionCommand({ port: 2379 })).toContain('/dev/tcp/127.0.0.1/2379');
    expect(conditionCommand({ port: 2379, state: 'stopped' })).toMatch(/^! \{/);
    expect(conditionCommand({ port: 2379, state: 'drained' })).toContain('sport = :2379');
    expect(conditionCommand({})).toBeUndefined();
  });
  it('places fetched files as Ansible', () => {
    expect(fetchDest({ src: '/etc/hosts', dest: 'out' }, 'h1', '/pb')).toBe('/pb/out/h1/etc/hosts');
    expect(fetchDest({ src: '/etc/hosts', dest: '/tmp/x/', flat: true }, 'h1', '/pb')).toBe('/tmp/x/hosts');
    expect(fetchDest({ src: '/etc/hosts', dest: '/tmp/y', flat: true }, 'h1', '/pb')).toBe('/tmp/y');
  });
});
