/** `omit`: a task argument whose value renders to this placeholder is dropped (as Ansible's `omit`). */
export const OMIT = '__omit_place_holder__lifeboat__';

export function isOmit(v: unknown): boolean {
  return v === OMIT;
}
