import { describe, expect, it } from 'vitest';
import { parseHostEntry } from './hostrange.js';
import { shlexSplit } from '../shlex.js';

describe('parseHostEntry', () => {
  it.each([
    ['node1', ['node1']],
    ['node[1:5]', ['node1', 'node2', 'node3', 'node4', 'node5']],
    ['node[01:03]', ['node01', 'node02', 'node03']],
    ['node[8:10]', ['node8', 'node9', 'node10']],
    ['10.0.0.[11:13]', ['10.0.0.11', '10.0.0.12', '10.0.0.13']],
    ['db-[a:c]', ['db-a', 'db-b', 'db-c']],
    ['n[1:7:3]', ['n1', 'n4', 'n7']],
    ['n[:2]', ['n0', 'n1', 'n2']],
    ['r[1:2]-[a:b]', ['r1-a', 'r1-b', 'r2-a', 'r2-b']],
    ['fe80::1', ['fe80::1']],
  ])('%s', (entry, hosts) => {
    expect(parseHostEntry(entry)).toEqual({ ok: true, hosts });
  });

  it('takes a port after a colon', () => {
    expect(parseHostEntry('etcd1:2222')).toEqual({ ok: true, hosts: ['etcd1'], port: 2222 });
    expect(parseHostEntry('10.0.0.[1:2]:22')).toEqual({ ok: true, hosts: ['10.0.0.1', '10.0.0.2'], port: 22 });
    expect(parseHostEntry('[fe80::1]:2222')).toEqual({ ok: true, hosts: ['fe80::1'], port: 2222 });
  });

  it.each([
    ['node[1:', /unclosed "\["/, 4],
    ['node1]', /"\]" without "\["/, 5],
    ['node[5:1]', /runs backwards/, 4],
    ['node[a:5]', /mixes letters and numbers/, 4],
    ['node[01:100]', /different widths/, 4],
    ['node[1:5:0]', /step "0"/, 4],
    ['node[1]', /is not a host range/, 4],
    ['node[1:]', /has no end/, 4],
    ['node:', /ends in ":"/, 4],
    ['node:ssh', /not a port number/, 5],
    ['node:70000', /out of range/, 4],
    [':22', /no host name/, 0],
  ])('%s is an error', (entry, message, at) => {
    const r = parseHostEntry(entry);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(message);
    expect(r.hint.length).toBeGreaterThan(0);
    expect(r.at).toBe(at);
  });
});

describe('shlexSplit', () => {
  const words = (line: string) => {
    const r = shlexSplit(line);
    if (!r.ok) throw new Error(r.message);
    return r.words.map((w) => w.text);
  };

  it('splits on whitespace and removes quotes', () => {
    expect(words(`192.168.1.1 k8s_nodename='master-01'  x="a b"`)).toEqual([
      '192.168.1.1',
      'k8s_nodename=master-01',
      'x=a b',
    ]);
  });

  it('keeps empty quoted values and escapes', () => {
    expect(words(`h a='' b=x\\ y c="q\\"d"`)).toEqual(['h', 'a=', 'b=x y', 'c=q"d']);
  });

  it('drops comments, even right after a word, but not inside quotes', () => {
    expect(words('h a=1 # comment')).toEqual(['h', 'a=1']);
    expect(words('h a=1#c')).toEqual(['h', 'a=1']);
    expect(words(`h a='1#c'`)).toEqual(['h', 'a=1#c']);
  });

  it('gives the start of each word', () => {
    const r = shlexSplit('  h  a=1');
    expect(r.ok && r.words.map((w) => w.start)).toEqual([2, 5]);
  });

  it('reports an unclosed quote where it opens', () => {
    expect(shlexSplit(`h a='x b=2`)).toEqual({ ok: false, message: expect.stringMatching(/no closing quotation/), at: 4 });
  });
});
