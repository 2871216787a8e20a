import { describe, expect, it } from 'vitest';
import { compareVersions, normName, parseFreeze, parseRequirement, recoverNames } from './pip.js';

describe('pip requirements', () => {
  it('parses names, extras and specifiers; URLs and paths have no name', () => {
    expect(parseRequirement('kubernetes>=12.0.0,<30')).toEqual({
      raw: 'kubernetes>=12.0.0,<30',
      name: 'kubernetes',
      specs: [
        { op: '>=', version: '12.0.0' },
        { op: '<', version: '30' },
      ],
    });
    expect(parseRequirement('requests[socks] == 2.31.0')).toMatchObject({ name: 'requests', specs: [{ op: '==', version: '2.31.0' }] });
    expect(parseRequirement('git+https://example.invalid/x.git').name).toBeUndefined();
    expect(parseRequirement('/opt/wheels/x-1.0-py3-none-any.whl').name).toBeUndefined();
  });

  it('compares release numbers numerically and puts pre-releases before the release', () => {
    expect(compareVersions('1.10', '1.9')).toBe(1);
    expect(compareVersions('2.0', '2.0.0')).toBe(0);
    expect(compareVersions('1.0rc1', '1.0')).toBe(-1);
    expect(compareVersions('1.0.post1', '1.0')).toBe(1);
  });

  it("rejoins specifiers a comma split (Ansible's list conversion) and normalises names as PEP 503 does", () => {
    expect(recoverNames(['pyyaml>=5', '<7', 'jinja2'])).toEqual(['pyyaml>=5,<7', 'jinja2']);
    expect(normName('Ruamel_Yaml.Clib')).toBe('ruamel-yaml-clib');
    expect(parseFreeze('PyYAML==6.0.1\n-e git+x#egg=y\nsetuptools==66.1.1\n')).toEqual(
      new Map([
        ['pyyaml', '6.0.1'],
        ['setuptools', '66.1.1'],
      ]),
    );
  });
});
