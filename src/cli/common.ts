import type { OptSpec } from './spec.js';

export const INVENTORY_OPTS: OptSpec[] = [
  {
    name: 'inventory',
    short: 'i',
    type: 'string',
    multiple: true,
    valueName: 'PATH',
    desc: 'Inventory file (YAML or INI) or directory; several merge',
  },
];

export const RUN_OPTS: OptSpec[] = [
  { name: 'limit', short: 'l', type: 'string', valueName: 'PATTERN', desc: 'Only hosts matching this pattern' },
  { name: 'extra-vars', short: 'e', type: 'string', multiple: true, valueName: 'VARS', desc: 'key=value, YAML/JSON, or @file; highest precedence' },
  { name: 'tags', short: 't', type: 'string', multiple: true, valueName: 'TAGS', desc: 'Only tasks with these tags (comma-separated)' },
  { name: 'skip-tags', type: 'string', multiple: true, valueName: 'TAGS', desc: 'Skip tasks with these tags' },
  { name: 'forks', short: 'f', type: 'string', default: '20', valueName: 'N', desc: 'Hosts worked on in parallel' },
  { name: 'start-at-task', type: 'string', valueName: 'NAME', desc: 'Start at the first task with this name' },
  { name: 'roles-path', type: 'string', multiple: true, valueName: 'DIR', desc: 'Extra role directories (also LIFEBOAT_ROLES_PATH)' },
];

export const CONNECT_OPTS: OptSpec[] = [
  { name: 'accept-new-host-keys', type: 'boolean', desc: 'Accept and record unknown host keys (never changed ones)' },
  { name: 'ask-pass', short: 'k', type: 'boolean', desc: 'Ask for the SSH login password once, for hosts without ansible_password' },
  { name: 'ask-become-pass', short: 'K', type: 'boolean', desc: 'Ask for the sudo password once, before the run' },
  { name: 'ask-key-passphrase', type: 'boolean', desc: 'Ask for the private keys\' passphrase once, before the run' },
  { name: 'ssh-config', type: 'string', valueName: 'FILE', desc: 'OpenSSH client config to read (default ~/.ssh/config)' },
  { name: 'timeout', type: 'string', default: '10', valueName: 'SECONDS', desc: 'SSH connect timeout' },
];

export const OUTPUT_OPTS: OptSpec[] = [
  { name: 'json', type: 'boolean', desc: 'One JSON event per line on stdout (docs/events.md); human output on stderr' },
  { name: 'output', type: 'string', default: 'auto', valueName: 'KIND', desc: 'auto | listr | plain | none' },
  { name: 'verbose', short: 'v', type: 'boolean', desc: 'Show command output of successful tasks too' },
];

export const ENV_FOOTER = `Environment:
  LIFEBOAT_BECOME_PASSWORD   sudo password (never printed; prefer --ask-become-pass)
  LIFEBOAT_KEY_PASSPHRASE    passphrase of encrypted private keys
  LIFEBOAT_SSH_PASSWORD      SSH login password (never printed; prefer --ask-pass or keys)
  LIFEBOAT_ROLES_PATH        extra role directories, colon-separated
  NO_COLOR / FORCE_COLOR     colour off / on; CI set → plain lines

Exit codes: 0 ok · 2 task failed · 3 host unreachable · 4 invalid input · 5 stale plan · 130 interrupted`;
