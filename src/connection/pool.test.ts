import { describe, expect, it } from 'vitest';
import { createConnectionPool } from './pool.js';
import { connectionSpecFor } from './spec.js';
import type { Vars } from '../inventory/types.js';

describe('connection pool', () => {
  const opened: Array<{ host: string; user: unknown }> = [];
  const pool = createConnectionPool({
    specFor: (host: string, vars?: Vars) => {
      opened.push({ host, user: vars?.ansible_user });
      return connectionSpecFor(host, { ...(vars ?? {}), ansible_connection: 'local' });
    },
  });

  it('shares one connection per host and login user; another ansible_user opens another', async () => {
    const a1 = await pool.get('h1', { ansible_user: 'alice' });
    const a2 = await pool.get('h1', { ansible_user: 'alice' });
    const b = await pool.get('h1', { ansible_user: 'bob' });
    const other = await pool.get('h2', { ansible_user: 'alice' });
    expect(a2).toBe(a1);
    expect(b).not.toBe(a1);
    expect(other).not.toBe(a1);
    expect(opened).toEqual([
      { host: 'h1', user: 'alice' },
      { host: 'h1', user: 'bob' },
      { host: 'h2', user: 'alice' },
    ]);
    await pool.closeAll();
  });
});
