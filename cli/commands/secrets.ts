/**
 * `edgeway secrets set NAME` stores a secret for an environment, reading its value from
 * stdin, never from the command line (which process lists and shell history keep);
 * `edgeway secrets unset NAME` removes it. `edgeway vars list` shows secrets by name. The
 * control plane seals secrets at rest and never returns their values.
 */
import type { Command } from '../lib/command.ts';
import { setValue, unsetValue, valueOptions } from '../lib/environment-values.ts';
import { CliError, UsageError } from '../lib/errors.ts';

export const secretsCommand: Command = {
  name: 'secrets',
  usage: 'edgeway secrets (set | unset) NAME -e <env> [options]',
  summary: "Set or unset an environment's secrets (the value is read from stdin).",
  description: `"set NAME" reads the secret's value from stdin, up to its end, without one trailing
newline; the value is never taken from the command line, where process lists and shell
history would keep it. The control plane stores it encrypted and never shows it again;
"edgeway vars list" lists secrets by name. "unset NAME" removes one. A name is either a
var or a secret of an environment, not both.

Secrets are stored for later use: deployments do not read them yet.

Examples:
  printf %s "$DB_PASSWORD" | edgeway secrets set DB_PASSWORD -e production
  edgeway secrets set DB_PASSWORD -e production < password.txt
  edgeway secrets unset DB_PASSWORD -e production`,
  arguments: [
    { name: 'action', required: true, description: '"set" or "unset".' },
    { name: 'NAME', required: true, description: 'The secret: upper-case letters, digits and _.' },
  ],
  options: valueOptions,
  async run(input) {
    const [action, name] = input.positionals;
    if (action === 'set') return setValue(input, 'secrets', name, secretFromStdin);
    if (action === 'unset') return unsetValue(input, 'secrets', name);
    throw new UsageError(`unknown action "${action}"; expected set or unset`);
  },
};

/** All of stdin but one trailing newline; refused when empty. */
async function secretFromStdin(name: string): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write(`Type the value of ${name}, then press Enter and Ctrl-D:\n`);
  }
  const value = (await readStdin()).replace(/\r?\n$/, '');
  if (value === '') throw new CliError(`no value on stdin for ${name}; nothing was set`);
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
