import type { AnyAuthMethod, AuthenticationType } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { type AuthPlan, passwordAnswers, planAuth, toAuthHandler } from './auth.js';

/** Drives toAuthHandler as ssh2 does: first with no list, then with the server's remaining methods. */
function attempts(plan: AuthPlan, serverAllows: AuthenticationType[]): string[] {
  const handler = toAuthHandler(plan);
  const tried: string[] = [];
  let left: AuthenticationType[] | null = null;
  for (;;) {
    let got: AnyAuthMethod | false | undefined;
    handler(left as AuthenticationType[], false, (m) => {
      got = m as AnyAuthMethod | false;
    });
    if (!got) return tried;
    tried.push(got.type);
    left = serverAllows;
  }
}

describe('password authentication', () => {
  it('offers keyboard-interactive, then password, after the keys, and never names the password', async () => {
    const plan = await planAuth({ user: 'ops', privateKeyFiles: [], useAgent: false, password: 'S3cret-pw' }, {});
    expect(plan.methods.map((m) => m.type)).toEqual(['keyboard-interactive', 'password']);
    expect(plan.notes.join(' ')).toContain('password');
    expect(plan.notes.join(' ')).not.toContain('S3cret-pw');
    const none = await planAuth({ user: 'ops', privateKeyFiles: [], useAgent: false }, {});
    expect(none.methods).toEqual([]);
  });

  it('answers password prompts with the password and anything else with nothing', () => {
    const prompts = [
      { prompt: 'Password: ', echo: false },
      { prompt: 'Verification code: ', echo: true },
    ];
    expect(passwordAnswers('pw', prompts)).toEqual(['pw', '']);
  });

  it('skips the methods the server does not allow (no password sent to a key-only server)', async () => {
    const plan = await planAuth({ user: 'ops', privateKeyFiles: [], useAgent: true, password: 'pw' }, { SSH_AUTH_SOCK: '/agent' });
    expect(attempts(plan, ['publickey'])).toEqual(['agent']);
    expect(attempts(plan, ['publickey', 'password'])).toEqual(['agent', 'password']);
    expect(attempts(plan, ['keyboard-interactive', 'password'])).toEqual(['agent', 'keyboard-interactive', 'password']);
  });
});
