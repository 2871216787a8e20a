import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderValue } from './index.js';

const where = { src: { file: 'site.yml', line: 3, col: 5 }, host: 'h1', field: 'vars' };

describe('controller lookups: varnames, pipe, template', () => {
  const d = mkdtempSync(join(tmpdir(), 'lb-lookups-more-'));
  mkdirSync(join(d, 'templates'));
  writeFileSync(join(d, 'templates/peers.j2'), '{% for h in peers %}{{ h }}={{ port }}\n{% endfor %}');
  writeFileSync(join(d, 'templates/one.j2'), '{{ port }}');
  writeFileSync(join(d, 'marker.txt'), 'here\n');
  const vars = { playbook_dir: d, etcd_a_checksums: 1, etcd_b_checksums: 2, kube_x: 3, removed: ['kube_x', 'gone_var'], peers: ['n1', 'n2'], port: 2380 };

  it("varnames: every variable name one of the patterns matches (re.search), as kubespray's query uses it", () => {
    expect(renderValue("{{ query('ansible.builtin.varnames', '^.+_checksums$') | sort }}", vars, where)).toEqual(['etcd_a_checksums', 'etcd_b_checksums']);
    expect(renderValue("{{ query('varnames', '^' + (removed | join('|')) + '$') }}", vars, where)).toEqual(['kube_x']);
    expect(renderValue("{{ query('varnames', 'checksums', 'kube') | length }}", vars, where)).toBe(3);
    expect(() => renderValue("{{ query('varnames', 3) }}", vars, where)).toThrow(/is not a string/);
  });

  it('pipe: stdout of a controller command run in the playbook directory, trailing newline stripped; nonzero exit fails', () => {
    expect(renderValue("{{ lookup('pipe', 'cat marker.txt') }}", vars, where)).toBe('here');
    expect(renderValue("{{ lookup('pipe', 'printf \"a b\"') }}", vars, where)).toBe('a b');
    expect(() => renderValue("{{ lookup('pipe', 'echo oops >&2; exit 3') }}", vars, where)).toThrow(/exited 3: oops/);
  });

  it("template: a file from templates/ rendered with the variables in scope; one `{{ x }}` keeps x's type (Ansible: int)", () => {
    expect(renderValue("{{ lookup('template', 'peers.j2') }}", vars, where)).toBe('n1=2380\nn2=2380\n');
    expect(renderValue("{{ lookup('template', 'one.j2') }}", vars, where)).toBe(2380);
    expect(() => renderValue("{{ lookup('template', 'nope.j2') }}", vars, where)).toThrow(/file not found \(looked in .*templates\/nope\.j2/);
  });
});
