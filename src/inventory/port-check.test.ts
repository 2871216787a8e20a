import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LifeboatError, LifeboatErrors } from '../errors.js';
import { loadInventory } from './index.js';
import { badPort } from './port-check.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lb-port-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function errorsOf(path: string): Promise<string[]> {
  const err = await loadInventory([path]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LifeboatErrors);
  return (err as LifeboatErrors).errors.map((e: LifeboatError) => `${e.src?.file.slice(path.length)}:${e.src?.line} ${e.message}`);
}

describe('a port variable that is not a port number is refused at load, naming file and line', () => {
  it('YAML host vars, group vars, and ansible_ssh_port', async () => {
    const dir = dirWith({
      'hosts.yml': 'all:\n  vars:\n    ansible_ssh_port: 22.5\n  hosts:\n    h1:\n      ansible_port: twenty-two\n    h2:\n      ansible_port: 2222\n',
    });
    expect(await errorsOf(join(dir, 'hosts.yml'))).toEqual([
      ':3 ansible_ssh_port 22.5 is not a port number',
      ':6 ansible_port "twenty-two" is not a port number',
    ]);
  });

  it('INI host line and [group:vars]', async () => {
    const dir = dirWith({ hosts: '[etcd]\nh1 ansible_port=twenty-two\nh2 ansible_port=22\n\n[etcd:vars]\nansible_port=0\n' });
    expect(await errorsOf(join(dir, 'hosts'))).toEqual([
      ':2 ansible_port "twenty-two" is not a port number',
      ':6 ansible_port 0 is not a port number',
    ]);
  });

  it('group_vars files', async () => {
    const dir = dirWith({ hosts: '[etcd]\nh1\n', 'group_vars/etcd.yml': 'x: 1\nansible_port: "twenty-two"\n' });
    const errs = await errorsOf(dir);
    expect(errs).toEqual(['/group_vars/etcd.yml:2 ansible_port "twenty-two" is not a port number']);
  });

  it('numbers, numeric strings and templates pass', () => {
    expect(badPort(22)).toBeUndefined();
    expect(badPort('2222')).toBeUndefined();
    expect(badPort('{{ base_port + 1 }}')).toBeUndefined();
    expect(badPort(70000)).toBeDefined();
    expect(badPort('')).toBeDefined();
  });
});
