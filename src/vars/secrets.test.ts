import { describe, expect, it } from 'vitest';
import { maskSecrets } from './index.js';

describe('maskSecrets', () => {
  it('replaces every occurrence of each secret', () => {
    expect(maskSecrets('echo pw123 | sudo -S; again pw123', ['pw123'])).toBe('echo ******** | sudo -S; again ********');
  });
  it('masks the longer secret first when one contains another', () => {
    expect(maskSecrets('token=abcdef', ['abc', 'abcdef'])).toBe('token=********');
  });
  it('ignores empty secrets and treats regex characters literally', () => {
    expect(maskSecrets('a.b*c', ['', '.b*'])).toBe('a********c');
    expect(maskSecrets('nothing here', [])).toBe('nothing here');
  });
});
