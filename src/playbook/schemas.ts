/**
 * JSON schemas (ajv) of the playbook language's keywords: plays, the task envelope (everything but the
 * module's own arguments), roles entries and role meta. Module arguments are checked against each module's
 * own schema (module-args.ts).
 */

/** Ansible's boolean strings (YAML 1.1 already turns bare yes/no into booleans; these are quoted ones). */
export const BOOL_STRINGS = ['yes', 'no', 'true', 'false', 'on', 'off', 'Yes', 'No', 'True', 'False', 'YES', 'NO'];

const str = { type: 'string' };
const bool = { anyOf: [{ type: 'boolean' }, { type: 'string', enum: BOOL_STRINGS }] };
const boolOrTemplate = { anyOf: [{ type: 'boolean' }, { type: 'string' }] };
/** A boolean, one of Ansible's boolean strings, or a template rendered per host when the task runs. */
const boolOrTpl = { anyOf: [{ type: 'boolean' }, { type: 'string', enum: BOOL_STRINGS }, { type: 'string', pattern: '\\{\\{' }] };
/** `connection`: how the task reaches its host; `local` runs it on the controller. */
export const CONNECTIONS = ['local', 'ssh', 'smart', 'paramiko', 'ansible.builtin.local', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh'];
const connectionValue = { anyOf: [{ type: 'string', enum: CONNECTIONS }, { type: 'string', pattern: '\\{\\{' }] };
/** `environment`: a mapping, or a template giving one (`environment: "{{ proxy_env }}"`). */
const envValue = { anyOf: [{ type: 'object' }, { type: 'string', pattern: '\\{\\{' }] };
const cond = {
  anyOf: [{ type: 'boolean' }, { type: 'string' }, { type: 'array', items: { type: ['string', 'boolean'] } }],
};
const strList = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const tags = { anyOf: [{ type: ['string', 'number'] }, { type: 'array', items: { type: ['string', 'number'] } }] };
const mapping = { type: 'object' };
const nullableMapping = { type: ['object', 'null'] };
const taskList = { type: ['array', 'null'] };
const count = { type: 'integer', minimum: 0 };
/** A template, or a number written as a string ("5"): checked when the task runs. */
const templateOrNumber = { type: 'string', pattern: '\\{\\{|^\\s*[0-9]+(\\.[0-9]+)?\\s*$' };
const loopValue = { type: ['string', 'array'] };

export const LOOP_CONTROL_SCHEMA = {
  type: 'object',
  properties: {
    loop_var: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    label: str,
    index_var: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    pause: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
};

/** Keywords shared by tasks, blocks, includes and imports. */
export const COMMON_KEYWORDS = {
  name: str,
  when: cond,
  tags,
  vars: nullableMapping,
  become: boolOrTpl,
  become_user: str,
  /** The login user for these tasks when no variable sets `ansible_user`. */
  remote_user: str,
  environment: envValue,
  ignore_errors: boolOrTemplate,
  ignore_unreachable: bool,
  delegate_to: str,
  delegate_facts: bool,
  connection: connectionValue,
  /** At most this many hosts run the task at once (below forks). */
  throttle: { anyOf: [{ type: 'integer', minimum: 0 }, templateOrNumber] },
  run_once: boolOrTpl,
  no_log: boolOrTpl,
  check_mode: bool,
  any_errors_fatal: boolOrTpl,
  /** Seconds the task's module may take on a host (0: no limit); a number or a template. */
  timeout: { anyOf: [{ type: 'integer', minimum: 0 }, templateOrNumber] },
};

const LOOPS = {
  loop: loopValue,
  with_items: loopValue,
  with_list: loopValue,
  with_dict: { type: ['string', 'object'] },
  with_first_found: { type: ['string', 'array', 'object'] },
  with_fileglob: loopValue,
  with_flattened: loopValue,
  with_nested: loopValue,
  with_subelements: loopValue,
  with_inventory_hostnames: loopValue,
  loop_control: LOOP_CONTROL_SCHEMA,
};

/** include_* `apply:` — keywords applied to each included task (checked against COMMON_KEYWORDS when loaded). */
const applyValue = { type: 'object' };
/** `register` on an include: the include's own result (`{include, include_args}`), as in Ansible. */
const register = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };

/** Keywords of a task that runs a module. */
export const ACTION_KEYWORDS = {
  ...COMMON_KEYWORDS,
  ...LOOPS,
  args: mapping,
  register,
  until: { type: ['string', 'boolean'] },
  retries: { anyOf: [count, templateOrNumber] },
  delay: { anyOf: [{ type: 'number', minimum: 0 }, templateOrNumber] },
  /** Seconds the task may take; with `poll: 0` it runs in the background (command, shell, raw). */
  async: { anyOf: [count, templateOrNumber] },
  poll: { anyOf: [count, templateOrNumber] },
  failed_when: cond,
  changed_when: cond,
  notify: strList,
  listen: strList,
};

export const BLOCK_KEYWORDS = { ...COMMON_KEYWORDS, notify: strList, block: taskList, rescue: taskList, always: taskList };

export const INCLUDE_TASKS_KEYWORDS = {
  ...COMMON_KEYWORDS,
  ...LOOPS,
  register,
  include_tasks: {
    anyOf: [str, { type: 'object', properties: { file: str, apply: applyValue }, required: ['file'], additionalProperties: false }],
  },
};

const ROLE_TARGET = {
  type: 'object',
  properties: { name: str, tasks_from: str, vars_from: str, defaults_from: str, handlers_from: str },
  required: ['name'],
  additionalProperties: false,
};
const INCLUDE_ROLE_TARGET = { ...ROLE_TARGET, properties: { ...ROLE_TARGET.properties, apply: applyValue } };

export const INCLUDE_ROLE_KEYWORDS = { ...COMMON_KEYWORDS, ...LOOPS, register, include_role: INCLUDE_ROLE_TARGET };
export const IMPORT_TASKS_KEYWORDS = {
  ...COMMON_KEYWORDS,
  import_tasks: {
    anyOf: [str, { type: 'object', properties: { file: str }, required: ['file'], additionalProperties: false }],
  },
};
export const IMPORT_ROLE_KEYWORDS = { ...COMMON_KEYWORDS, import_role: ROLE_TARGET };

/** Every keyword a task may carry, for "did you mean" (module names are added by the caller). */
export const ALL_TASK_KEYWORDS = [
  ...new Set([
    ...Object.keys(ACTION_KEYWORDS),
    ...Object.keys(BLOCK_KEYWORDS),
    'include_tasks',
    'import_tasks',
    'include_role',
    'import_role',
  ]),
];

export function objectSchema(properties: Record<string, unknown>, required: string[] = []): Record<string, unknown> {
  return { type: 'object', properties, required, additionalProperties: false };
}

export const PLAY_KEYWORDS = {
  name: str,
  hosts: { anyOf: [str, { type: 'array', items: str, minItems: 1 }] },
  vars: nullableMapping,
  vars_files: { type: 'array', items: { anyOf: [str, { type: 'array', items: str, minItems: 1 }] } },
  roles: { type: ['array', 'null'], items: { anyOf: [str, { type: 'object' }] } },
  pre_tasks: taskList,
  tasks: taskList,
  post_tasks: taskList,
  handlers: taskList,
  serial: {
    anyOf: [
      { type: 'integer', minimum: 1 },
      { type: 'string', pattern: '^\\s*(\\d+(\\.\\d+)?%?|\\{\\{.*\\}\\})\\s*$' },
      { type: 'array', minItems: 1, items: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string' }] } },
    ],
  },
  become: boolOrTpl,
  become_user: str,
  remote_user: str,
  gather_facts: bool,
  any_errors_fatal: boolOrTpl,
  run_once: boolOrTpl,
  no_log: boolOrTpl,
  connection: connectionValue,
  /** free runs as linear (docs/playbook-language.md says why). */
  strategy: { type: 'string', enum: ['linear', 'free', 'ansible.builtin.linear', 'ansible.builtin.free'] },
  max_fail_percentage: { type: 'number', minimum: 0, maximum: 100 },
  tags,
  environment: envValue,
  timeout: { anyOf: [{ type: 'integer', minimum: 0 }, templateOrNumber] },
  vars_prompt: {
    type: 'array',
    items: {
      type: 'object',
      properties: {
        name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        prompt: str,
        default: { type: ['string', 'number', 'boolean'] },
        private: bool,
        confirm: bool,
        unsafe: bool,
        encrypt: str,
        salt: str,
        salt_size: { type: 'integer' },
      },
      required: ['name'],
      additionalProperties: false,
    },
  },
};

export const PLAY_SCHEMA = objectSchema(PLAY_KEYWORDS, ['hosts']);

export const IMPORT_PLAYBOOK_SCHEMA = objectSchema({ import_playbook: str, name: str, tags, vars: nullableMapping, when: cond }, [
  'import_playbook',
]);

/** `meta/main.yml` of a role (galaxy_info and other metadata are allowed and ignored). */
export const ROLE_META_SCHEMA = {
  type: ['object', 'null'],
  properties: {
    dependencies: { type: ['array', 'null'], items: { anyOf: [str, { type: 'object' }] } },
    allow_duplicates: bool,
  },
};

/** What each keyword accepts, in words (for messages). */
export const KEYWORD_WORDS: Record<string, string> = {
  when: 'a condition (a bare Jinja expression), a boolean, or a list of them',
  failed_when: 'a condition (a bare Jinja expression), a boolean, or a list of them',
  changed_when: 'a condition (a bare Jinja expression), a boolean, or a list of them',
  tags: 'a tag or a list of tags',
  notify: 'a handler name or a list of handler names',
  listen: 'a topic or a list of topics',
  retries: 'a whole number ≥ 0, or a template giving one',
  async: 'a whole number of seconds ≥ 0, or a template giving one',
  poll: 'a whole number of seconds ≥ 0 (0: start it in the background), or a template giving one',
  delay: 'a number of seconds ≥ 0, or a template giving one',
  register: 'a variable name (letters, digits, _)',
  loop: 'a list or a template giving a list',
  with_items: 'a list or a template giving a list',
  with_list: 'a list or a template giving a list',
  with_dict: 'a mapping or a template giving one',
  serial: 'a number ≥ 1, a percentage like "30%", or a list of them',
  hosts: 'a host pattern or a list of them',
  max_fail_percentage: 'a number from 0 to 100',
  vars_files: 'a list of file paths (an entry may be a list: the first file that exists)',
  ignore_errors: 'a boolean or a template',
  become: 'a boolean ("yes"/"no"/true/false…) or a template',
  run_once: 'a boolean ("yes"/"no"/true/false…) or a template',
  no_log: 'a boolean ("yes"/"no"/true/false…) or a template',
  any_errors_fatal: 'a boolean ("yes"/"no"/true/false…) or a template',
  throttle: 'a whole number ≥ 0 (0: no limit), or a template giving one',
  timeout: 'a whole number of seconds ≥ 0 (0: no limit), or a template giving one',
  strategy: 'linear or free (free runs as linear in Lifeboat)',
  connection: `one of ${CONNECTIONS.join(', ')} (or a template)`,
  environment: 'a mapping of variable names to values, or a template giving one',
};
