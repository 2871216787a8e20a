import { describe, expect, it } from 'vitest';
import { settleDelayMs } from './verify.js';

describe('etcd_verify settle delay', () => {
  it('looks again quickly at first, then backs off to 1 s', () => {
    expect([0, 1, 2, 3, 5, 6, 9, 30].map(settleDelayMs)).toEqual([200, 200, 200, 400, 400, 800, 1000, 1000]);
  });
});
