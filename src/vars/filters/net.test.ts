import { describe, expect, it } from 'vitest';
import { renderValue } from '../index.js';

const r = (v: string, c: Record<string, unknown> = {}) => renderValue(v, c, { host: 'n1' });

describe('ipaddr / ipv4 / ipv6 / ipwrap (ansible.utils)', () => {
  it('ipaddr with no query keeps valid addresses and networks, false otherwise', () => {
    expect(r("{{ '127.0.0.1' | ansible.utils.ipaddr }}")).toBe('127.0.0.1');
    expect(r("{{ '10.0.0.0/8' | ipaddr }}")).toBe('10.0.0.0/8');
    expect(r("{{ 'fd00::1' | ipaddr }}")).toBe('fd00::1');
    expect(r("{{ 'node1' | ipaddr }}")).toBe(false);
    expect(r("{{ '300.1.1.1' | ipaddr }}")).toBe(false);
    expect(r("{{ ['10.0.0.1', 'x', '::1'] | ipaddr }}")).toEqual(['10.0.0.1', '::1']);
  });
  it('address, host, net, network, netmask, prefix, broadcast, size', () => {
    expect(r("{{ '192.168.1.5/24' | ipaddr('address') }}")).toBe('192.168.1.5');
    expect(r("{{ '192.168.1.0/24' | ipaddr('address') }}")).toBe(false);
    expect(r("{{ '192.168.1.5' | ipaddr('address') }}")).toBe('192.168.1.5');
    expect(r("{{ '192.168.1.5/24' | ipaddr('host') }}")).toBe('192.168.1.5/24');
    expect(r("{{ '192.168.1.0/24' | ipaddr('net') }}")).toBe('192.168.1.0/24');
    expect(r("{{ '192.168.1.5/24' | ipaddr('net') }}")).toBe(false);
    expect(r("{{ '192.168.1.5/24' | ipaddr('network') }}")).toBe('192.168.1.0');
    expect(r("{{ '192.168.1.5/24' | ipaddr('subnet') }}")).toBe('192.168.1.0/24');
    expect(r("{{ '192.168.1.5/255.255.255.0' | ipaddr('prefix') }}")).toBe(24);
    expect(r("{{ '192.168.1.5/24' | ipaddr('netmask') }}")).toBe('255.255.255.0');
    expect(r("{{ '192.168.1.5/24' | ipaddr('broadcast') }}")).toBe('192.168.1.255');
    expect(r("{{ '10.0.0.0/30' | ipaddr('size') }}")).toBe(4);
  });
  it('an index gives the nth address of a network (kubespray: the service IP of coredns)', () => {
    const v = { kube_service_addresses: '10.233.0.0/18' };
    expect(r("{{ kube_service_addresses | ansible.utils.ipaddr('net') | ansible.utils.ipaddr(3) | ansible.utils.ipaddr('address') }}", v)).toBe(
      '10.233.0.3',
    );
    expect(r("{{ '10.0.0.0/24' | ipaddr(-1) }}")).toBe('10.0.0.255/24');
    expect(r("{{ 'fd85:ee78:d8a6:8607::1:0000/112' | ipaddr('net') | ipaddr(10) }}")).toBe('fd85:ee78:d8a6:8607::1:a/112');
  });
  it('writes IPv6 compressed, as netaddr', () => {
    expect(r("{{ '2001:0db8:0000:0000:0000:0000:0000:0001' | ipaddr('address') }}")).toBe('2001:db8::1');
    expect(r("{{ '2001:db8:0:1:0:0:0:1/64' | ipaddr('network') }}")).toBe('2001:db8:0:1::');
    expect(r("{{ '::ffff:10.0.0.1' | ipv6 }}")).toBe('::ffff:10.0.0.1');
  });
  it('ipv4 / ipv6 keep one version', () => {
    expect(r("{{ ['10.0.0.1', 'fd00::1'] | ipv4 }}")).toEqual(['10.0.0.1']);
    expect(r("{{ ['10.0.0.1', 'fd00::1'] | ansible.utils.ipv6 }}")).toEqual(['fd00::1']);
    expect(r("{{ '10.0.0.1/24' | ipv4('address') }}")).toBe('10.0.0.1');
  });
  it('ipwrap puts IPv6 in brackets and leaves everything else as it is', () => {
    expect(r("{{ 'fd00::1' | ipwrap }}")).toBe('[fd00::1]');
    expect(r("{{ 'fd00::1/64' | ansible.utils.ipwrap }}")).toBe('[fd00::1]/64');
    expect(r("{{ '10.0.0.1' | ipwrap }}")).toBe('10.0.0.1');
    expect(r("{{ 'node1' | ipwrap }}")).toBe('node1');
    expect(r("{{ ['fd00::1', 'node1'] | ipwrap }}")).toEqual(['[fd00::1]', 'node1']);
  });
  it('refuses an unknown query, naming the ones it knows', () => {
    expect(() => r("{{ '10.0.0.1' | ipaddr('bogus') }}")).toThrow(/unknown query 'bogus'/);
  });
});

describe('ip tests', () => {
  it('ip, ipv4, ipv6 and the _address forms, with FQCN names', () => {
    expect(r("{{ '10.0.0.1' is ansible.utils.ipv4 }}")).toBe(true);
    expect(r("{{ '10.0.0.0/8' is ipv4 }}")).toBe(true);
    expect(r("{{ '10.0.0.1' is ipv6 }}")).toBe(false);
    expect(r("{{ 'fe80::1' is ansible.utils.ipv6 }}")).toBe(true);
    expect(r("{{ 'host-a' is ip }}")).toBe(false);
    expect(r("{{ '10.0.0.0/8' is ipv4_address }}")).toBe(false);
    expect(r("{{ '::1' is ipv6_address }}")).toBe(true);
    expect(r("{{ 5 is ip }}")).toBe(false);
  });
});
