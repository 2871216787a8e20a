import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { LifeboatError } from '../errors.js';
import type { MaskedWriter } from '../secrets.js';

/** Asks for a secret on the terminal without echoing it. Refuses when stdin is not a terminal. */
export async function promptHidden(question: string, err: MaskedWriter): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new LifeboatError('E_USAGE', `${question.replace(/: $/, '')}: asking needs a terminal`, {
      hint: 'set LIFEBOAT_BECOME_PASSWORD / LIFEBOAT_KEY_PASSPHRASE in the environment instead',
    });
  }
  err.write(question);
  let muted = true;
  const sink = new Writable({
    write(chunk, _enc, cb) {
      if (!muted) err.write(String(chunk));
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output: sink, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question('', (a) => resolve(a)));
  } finally {
    muted = false;
    rl.close();
    err.write('\n');
  }
}
