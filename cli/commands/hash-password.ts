/**
 * `edgeway hash-password` reads a password from stdin and prints its PBKDF2 hash in the
 * format the basic-auth policy's `users` take, made by the same module the policy checks
 * hashes with (src/config/password-hash.ts), so what it prints is what the policy accepts.
 * The password never comes from the command line, which process lists and shell history keep.
 */
import { text } from 'node:stream/consumers';
import { z } from 'zod';
import {
  hashPassword,
  PBKDF2_DEFAULT_ITERATIONS,
  PBKDF2_MAX_ITERATIONS,
  PBKDF2_MIN_ITERATIONS,
} from '../../src/config/password-hash.ts';
import { boundedInt } from '../../src/config/source-fields.ts';
import { checked } from '../lib/checked.ts';
import type { Command } from '../lib/command.ts';
import { CliError } from '../lib/errors.ts';
import { stringValue } from '../lib/options.ts';

const ITERATIONS_MESSAGE = `expected a whole number from ${PBKDF2_MIN_ITERATIONS} to ${PBKDF2_MAX_ITERATIONS}`;
const IterationsSchema = z.coerce
  .number({ error: ITERATIONS_MESSAGE })
  .pipe(boundedInt(PBKDF2_MIN_ITERATIONS, PBKDF2_MAX_ITERATIONS));

export const hashPasswordCommand: Command = {
  name: 'hash-password',
  summary: 'Print the hash of a password read from stdin, for a basic-auth user.',
  description: `Reads the password from stdin, up to its end, without one trailing newline, and prints
its PBKDF2-SHA256 hash with a random salt, as the basic-auth policy's users take it:
$pbkdf2-sha256$i=<iterations>$<salt>$<hash>. The password is never taken from the command
line, where process lists and shell history would keep it. Typed at a terminal, it is
echoed; pipe it in instead.

Write the hash under the policy's users in edgeway.yaml, or keep it out of Git as a
secret of the environment and write \${secret.NAME} there.

Examples:
  printf %s "$PASSWORD" | edgeway hash-password
  edgeway hash-password < password.txt
  printf %s "$PASSWORD" | edgeway hash-password | edgeway secrets set ALICE_HASH -e production`,
  arguments: [],
  options: {
    iterations: {
      type: 'string',
      value: '<n>',
      description: `PBKDF2 iterations, ${PBKDF2_MIN_ITERATIONS} to ${PBKDF2_MAX_ITERATIONS} (the most Cloudflare's runtime derives; default ${PBKDF2_DEFAULT_ITERATIONS}). Fewer cost less CPU per login and make a leaked hash cheaper to crack.`,
    },
  },
  async run({ values }) {
    const given = stringValue(values.iterations);
    const iterations =
      given === undefined
        ? PBKDF2_DEFAULT_ITERATIONS
        : checked(IterationsSchema, given, `--iterations "${given}"`);
    if (process.stdin.isTTY) process.stderr.write('Type the password, then press Enter and Ctrl-D:\n');
    const password = (await text(process.stdin)).replace(/\r?\n$/, '');
    if (password === '') throw new CliError('no password on stdin; nothing was hashed');
    console.log(await hashPassword(password, iterations));
    return 0;
  },
};
