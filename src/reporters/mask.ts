/**
 * Replaces every occurrence of a secret with a fixed mask (literal match, longest first). Secrets shorter than
 * 3 characters are ignored. The list is read live, by reference: a secret pushed onto it after the masker was
 * made (become passwords, `secret` variables found mid-run) is masked from then on.
 */
import { MASK, maskDeepWith, maskText } from '../secrets.js';

export { MASK };

export function makeMasker(secrets: readonly string[]): (text: string) => string {
  let seen = -1;
  let list: string[] = [];
  return (text) => {
    if (secrets.length !== seen) {
      seen = secrets.length;
      list = secrets.filter((s) => typeof s === 'string' && s.length >= 3);
    }
    return maskText(text, list);
  };
}

/** A masked copy of a JSON-like value: every string masked before it is serialised (so `"` or `\` cannot escape). */
export function maskValue(value: unknown, mask: (t: string) => string): unknown {
  return maskDeepWith(value, mask);
}
