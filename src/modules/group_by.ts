import { argError } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation } from './types.js';

/**
 * group_by — put the host into a group made at run time (`key`, already rendered: `os_{{ ansible_distribution }}`),
 * under `parents` (default `all`). The executor adds it to the run's inventory, so `groups`, `group_names` and the
 * `hosts:` of later plays see it. In a plan too (it only reads variables). Group variables from group_vars/ of a new
 * group are not loaded. Runs on the controller; changed when the host was not in the group yet (as Ansible).
 *
 * Returns: add_group, parent_groups.
 */
export interface GroupByArgs {
  key: string;
  parents?: string[] | string;
}

export const groupBySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key'],
  properties: {
    key: { type: 'string', minLength: 1 },
    parents: { anyOf: [{ type: 'array', items: { type: 'string', minLength: 1 } }, { type: 'string', minLength: 1 }] },
  },
};

export const groupByModule: ModuleDef<GroupByArgs> = {
  name: 'group_by',
  summary: 'Add the host to a group made at run time (later plays can target it)',
  schema: groupBySchema,
  controllerOnly: true,
  async plan(ctx): Promise<Operation> {
    // as Ansible: spaces in a group name become dashes
    const key = ctx.args.key.trim().replace(/ /g, '-');
    if (key === '') throw argError('group_by', ctx, 'key is empty');
    const parents = (typeof ctx.args.parents === 'string' ? [ctx.args.parents] : (ctx.args.parents ?? ['all'])).map((p) =>
      p.trim().replace(/ /g, '-'),
    );
    const groupNames = Array.isArray(ctx.vars.group_names) ? (ctx.vars.group_names as string[]) : [];
    const changed = !groupNames.includes(key);
    return { changed, steps: [], result: { changed, add_group: key, parent_groups: parents } };
  },
};

registerModule(groupByModule);
