import { MaskedWriter, SecretSet } from '../secrets.js';

/**
 * What the CLI prints through: standard output and error, both masking with the process's one SecretSet
 * (the same object the session, the executor, the reporters and the planner get). This is the only file of
 * the CLI that touches process.stdout / process.stderr.
 */
export interface Io {
  secrets: SecretSet;
  out: MaskedWriter;
  err: MaskedWriter;
}

/** Passwords given in the environment are secrets from the start, for every command (errors included). */
const ENV_SECRETS = ['LIFEBOAT_BECOME_PASSWORD', 'LIFEBOAT_SSH_PASSWORD', 'LIFEBOAT_KEY_PASSPHRASE'] as const;

export function processIo(env: NodeJS.ProcessEnv = process.env): Io {
  const secrets = new SecretSet();
  for (const name of ENV_SECRETS) {
    const v = env[name];
    if (v) secrets.add(v);
  }
  return { secrets, out: new MaskedWriter(process.stdout, secrets), err: new MaskedWriter(process.stderr, secrets) };
}
