import { describe, expect, it } from 'vitest';
import { parseHop, parseSshArgs, proxyCommandAsJump, shellWords } from './ssh-args.js';

describe('ssh command-line options', () => {
  it('splits words like a shell', () => {
    expect(shellWords(`-o "ProxyJump a b" -o'X=1' a\\ b ''`)).toEqual(['-o', 'ProxyJump a b', '-oX=1', 'a b', '']);
    expect(() => shellWords('-o "open')).toThrow(/unterminated/);
  });

  it('reads -o Key=Value, -o "Key Value", -oKey=Value, -J, -p, -l, -i; names lowercased; first value first', () => {
    const o = parseSshArgs(
      `-o StrictHostKeyChecking=no -o "UserKnownHostsFile /dev/null" -oPort=2200 -J bastion -l ops -i ~/k1 ` +
        `-o IdentityFile=~/k2 -o ProxyCommand="ssh -W %h:%p jump" -v`,
      'test',
    );
    expect(o.get('stricthostkeychecking')).toEqual(['no']);
    expect(o.get('userknownhostsfile')).toEqual(['/dev/null']);
    expect(o.get('port')).toEqual(['2200']);
    expect(o.get('proxyjump')).toEqual(['bastion']);
    expect(o.get('user')).toEqual(['ops']);
    expect(o.get('identityfile')).toEqual(['~/k1', '~/k2']);
    expect(o.get('proxycommand')).toEqual(['ssh -W %h:%p jump']);
  });

  it('names where a bad option comes from', () => {
    expect(() => parseSshArgs('-o', 'host db1: ansible_ssh_common_args')).toThrow(/host db1: ansible_ssh_common_args/);
    expect(() => parseSshArgs('-o =x', 'here')).toThrow(/cannot read ssh option/);
  });

  it('turns ProxyCommand "ssh -W %h:%p bastion" into a jump hop', () => {
    expect(proxyCommandAsJump('ssh -W %h:%p -q ops@bastion')).toBe('ops@bastion');
    expect(proxyCommandAsJump('/usr/bin/ssh -p 2222 -l ops -W %h:%p bastion')).toBe('ops@bastion:2222');
    expect(proxyCommandAsJump('nc -X 5 -x proxy:1080 %h %p')).toBeUndefined();
  });

  it('parses hops: user@host:port, [v6]:port, ssh:// URIs, defaults', () => {
    expect(parseHop('ops@b1:2222', 'root')).toEqual({ user: 'ops', address: 'b1', port: 2222 });
    expect(parseHop('b1', 'root')).toEqual({ user: 'root', address: 'b1', port: 22 });
    expect(parseHop('[fd00::1]:2200', 'u')).toEqual({ user: 'u', address: 'fd00::1', port: 2200 });
    expect(parseHop('ssh://a@h:23', 'u')).toEqual({ user: 'a', address: 'h', port: 23 });
    expect(() => parseHop('h:99999', 'u')).toThrow(/jump host/);
  });
});
