/**
 * Checks on a command line beyond what the parser does: a value checked with a zod schema
 * (often the control plane's own, so the CLI refuses what the API would), and a command's
 * action with the options given to it. Both fail as usage errors.
 */
import type { z } from 'zod';
import type { ParsedInput } from './command.ts';
import { UsageError } from './errors.ts';
import { connectionOptions } from './options.ts';

/** `what` names the value in the message, e.g. `--plan "x y"`. */
export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${what}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/**
 * Checks that `action` is one of `actions` (each with the options it takes) and that no
 * option is given that it does not take, the connection's aside.
 */
export function checkAction(
  { values, lists }: ParsedInput,
  action: string,
  actions: Readonly<Record<string, readonly string[]>>,
): void {
  const allowed = actions[action];
  if (!allowed) {
    const names = Object.keys(actions);
    throw new UsageError(
      `unknown action "${action}"; expected ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`,
    );
  }
  const given = [...Object.keys(values), ...Object.keys(lists)].filter(
    (option) => !(option in connectionOptions),
  );
  const other = given.find((option) => !allowed.includes(option));
  if (other) throw new UsageError(`--${other} does not apply to "${action}"`);
}
