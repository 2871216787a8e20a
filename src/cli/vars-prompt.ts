/**
 * A play's `vars_prompt`, asked before anything runs (run, plan, apply), as ansible-playbook asks: a
 * variable given with `-e` is not asked; on a terminal each prompt is shown (`private` ones, Ansible's
 * default, without echo; `confirm` asks twice); without a terminal the `default` is taken, and a prompt
 * with no default is refused, naming the variable and the `-e` that gives it. Private values are secrets
 * (also when `-e` gives them).
 */
import { createInterface } from 'node:readline';
import { LifeboatError, LifeboatErrors, formatSource } from '../errors.js';
import type { Vars } from '../inventory/types.js';
import type { Playbook, VarsPrompt } from '../playbook/types.js';
import type { MaskedWriter, SecretSet } from '../secrets.js';
import { promptHidden } from './prompt.js';

export interface PromptIo {
  /** A terminal to ask on. */
  tty: boolean;
  ask(question: string, hidden: boolean): Promise<string>;
  say(text: string): void;
}

/** The process's terminal: stdin, with the question on stderr (masked). */
export function terminalPrompts(err: MaskedWriter): PromptIo {
  return {
    tty: process.stdin.isTTY === true,
    say: (t) => err.write(t),
    ask: async (q, hidden) => {
      if (hidden) return promptHidden(q, err);
      err.write(q);
      const rl = createInterface({ input: process.stdin, terminal: false });
      try {
        return await new Promise<string>((resolve) => rl.once('line', resolve));
      } finally {
        rl.close();
      }
    },
  };
}

const TEMPLATE_MARK = /\{\{|\{%|\{#/;

/** Asks every prompt the playbooks need and sets the answers as play variables (mutates the plays). */
export async function askVarsPrompts(playbooks: Playbook[], extraVars: Vars, secrets: SecretSet, io: PromptIo): Promise<void> {
  const plays = playbooks.flatMap((pb) => pb.plays).filter((p) => p.varsPrompt?.length);
  if (plays.length === 0) return;
  const all = plays.flatMap((p) => p.varsPrompt ?? []);
  // a private prompt's variable is a secret however it is given
  for (const v of all) {
    const given = extraVars[v.name];
    if (v.private && (typeof given === 'string' || typeof given === 'number')) secrets.add(String(given));
  }
  const wanted = all.filter((v) => !Object.hasOwn(extraVars, v.name));
  if (!io.tty) {
    const missing = wanted.filter((v) => v.default === undefined);
    if (missing.length) {
      const names = [...new Set(missing.map((v) => v.name))];
      throw new LifeboatErrors(
        missing
          .filter((v, i) => missing.findIndex((w) => w.name === v.name) === i)
          .map(
            (v) =>
              new LifeboatError('E_USAGE', `vars_prompt: no terminal to ask "${v.prompt}" for \`${v.name}\``, {
                src: v.src,
                hint: `pass it on the command line: ${names.map((n) => `-e ${n}=…`).join(' ')}`,
              }),
          ),
      );
    }
  }
  // One answer per variable for the whole run (two plays prompting for the same name ask once).
  const answers = new Map<string, string>();
  for (const v of wanted) {
    if (answers.has(v.name)) continue;
    const value = io.tty ? await askOne(v, io) : (v.default as string);
    if (v.private) secrets.add(value);
    answers.set(v.name, v.unsafe && TEMPLATE_MARK.test(value) ? `{% raw %}${value}{% endraw %}` : value);
  }
  for (const p of plays) {
    const own = (p.varsPrompt ?? []).filter((v) => answers.has(v.name));
    if (own.length) p.vars = { ...p.vars, ...Object.fromEntries(own.map((v) => [v.name, answers.get(v.name)])) };
  }
}

async function askOne(v: VarsPrompt, io: PromptIo): Promise<string> {
  const q = `${v.prompt}${v.default !== undefined ? ` [${v.private ? '********' : v.default}]` : ''}: `;
  for (;;) {
    let a = await io.ask(q, v.private);
    if (a === '' && v.default !== undefined) a = v.default;
    if (!v.confirm) return a;
    let b = await io.ask(`confirm ${q}`, v.private);
    if (b === '' && v.default !== undefined) b = v.default;
    if (a === b) return a;
    io.say(`the values entered for ${v.name} do not match (${formatSource(v.src)}); asking again\n`);
  }
}
