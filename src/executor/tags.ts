/**
 * Tag selection, as Ansible's Taggable.evaluate_tags: `always` runs unless skipped by name, `never` runs only
 * when asked for by name, `all`, `tagged` and `untagged` are special. A task's tags are its own plus those of
 * every enclosing block, role, include and the play.
 */
export interface TagFilter {
  only: ReadonlySet<string>;
  skip: ReadonlySet<string>;
}

export function makeTagFilter(tags: readonly string[] | undefined, skipTags: readonly string[] | undefined): TagFilter {
  const only = new Set((tags ?? []).flatMap(splitTags));
  if (only.size === 0) only.add('all');
  return { only, skip: new Set((skipTags ?? []).flatMap(splitTags)) };
}

function splitTags(t: string): string[] {
  return t
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function shouldRun(taskTags: ReadonlySet<string>, f: TagFilter): boolean {
  const tags = taskTags.size > 0 ? taskTags : new Set(['untagged']);
  const tagged = taskTags.size > 0;
  const hits = (set: ReadonlySet<string>): boolean => [...tags].some((t) => set.has(t));
  let run = true;
  if (f.only.size > 0) {
    run =
      tags.has('always') ||
      (f.only.has('all') && !tags.has('never')) ||
      hits(f.only) ||
      (f.only.has('tagged') && tagged && !tags.has('never'));
  }
  if (run && f.skip.size > 0) {
    if (f.skip.has('all')) {
      if (!tags.has('always') || f.skip.has('always')) run = false;
    } else if (hits(f.skip)) run = false;
    else if (f.skip.has('tagged') && tagged) run = false;
  }
  return run;
}
