/**
 * `edgeway keys`: a consumer's API keys. Creates one (printed this once), lists them by
 * hint and state, rolls one (a replacement, with the old key working for a grace period)
 * and revokes one. Keys are `live` for production or `test` for preview environments.
 */

import {
  ConsumerNameSchema,
  FutureTimeSchema,
  GracePeriodSchema,
} from '../../control-plane/src/consumers/fields.ts';
import { ApiKeyIdSchema } from '../../src/config/api-keys.ts';
import { checkAction, checked } from '../lib/checked.ts';
import type { Command, ParsedInput } from '../lib/command.ts';
import { issuedKeyLines, keysTable } from '../lib/consumer-output.ts';
import { createKey, listKeys, revokeKey, rollKey } from '../lib/consumers-api.ts';
import { UsageError } from '../lib/errors.ts';
import { timestamp } from '../lib/format.ts';
import { connect, connectionOptions, stringValue } from '../lib/options.ts';

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** The options each action takes, besides the connection's. */
const ACTION_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  create: ['test', 'expires-at', 'json'],
  list: ['json'],
  roll: ['grace', 'json'],
  revoke: [],
};

export const keysCommand: Command = {
  name: 'keys',
  usage: 'edgeway keys create|list|roll|revoke <consumer|key-id> [options]',
  summary: "Create, list, roll or revoke a consumer's API keys.",
  description: `"create" issues a key to a consumer and prints it once: store it then, as it is never
shown again (only its hash is kept). Keys are "live" keys, which production accepts, unless
--test makes a "test" key, which preview environments accept. "list" shows each key's id,
hint (its first characters) and state: active, expiring (it has an expiry), expired or
revoked. "roll" issues a replacement for a key and lets the old one keep working for the
grace period (default 1d, at most 30d), so clients can switch over. "revoke" deletes a
key's record at once; gateways refuse the key once their cached copy of it expires.

Examples:
  edgeway keys create acme
  edgeway keys create acme --test --expires-at 2027-01-31T00:00:00Z
  edgeway keys list acme
  edgeway keys roll key_01m8c3xcyazcjs0axxcgd3sv25 --grace 7d
  edgeway keys revoke key_01m8c3xcyazcjs0axxcgd3sv25`,
  arguments: [
    { name: 'action', required: true, description: '"create", "list", "roll" or "revoke".' },
    {
      name: 'target',
      required: true,
      description: 'The consumer (create, list) or the key id (roll, revoke).',
    },
  ],
  options: {
    test: { type: 'boolean', description: 'Create: a test key, for preview environments.' },
    'expires-at': {
      type: 'string',
      value: '<time>',
      description: 'Create: when the key stops working, as an ISO 8601 time.',
    },
    grace: {
      type: 'string',
      value: '<duration>',
      description: 'Roll: how long the old key keeps working, e.g. 3600s, 30m, 12h, 7d (default: 1d).',
    },
    json: { type: 'boolean', description: "Create, list, roll: print the API's JSON." },
    ...connectionOptions,
  },
  async run(input) {
    const [action, target] = input.positionals as [string, string];
    checkAction(input, action, ACTION_OPTIONS);
    switch (action) {
      case 'create':
        return create(input, consumerName(target));
      case 'list':
        return list(input, consumerName(target));
      case 'roll':
        return roll(input, keyId(target));
      default:
        await revokeKey(connect(input.values), keyId(target));
        console.log(`Revoked key ${target}; gateways refuse it once their cached copy of it expires.`);
        return 0;
    }
  },
};

async function create({ values }: ParsedInput, consumer: string): Promise<number> {
  const expiresAt = stringValue(values['expires-at']);
  const issued = await createKey(connect(values), consumer, {
    keySet: values.test ? 'test' : 'live',
    ...(expiresAt === undefined ? {} : { expiresAt: checked(FutureTimeSchema, expiresAt, '--expires-at') }),
  });
  console.log(values.json ? JSON.stringify(issued, null, 2) : issuedKeyLines(issued).join('\n'));
  return 0;
}

async function list({ values }: ParsedInput, consumer: string): Promise<number> {
  const keys = await listKeys(connect(values), consumer);
  if (values.json) console.log(JSON.stringify(keys, null, 2));
  else if (keys.length === 0)
    console.log(`${consumer} has no keys: edgeway keys create ${consumer} issues one.`);
  else console.log(keysTable(keys));
  return 0;
}

async function roll({ values }: ParsedInput, id: string): Promise<number> {
  const grace = stringValue(values.grace);
  const rolled = await rollKey(connect(values), id, grace === undefined ? undefined : graceSeconds(grace));
  if (values.json) {
    console.log(JSON.stringify(rolled, null, 2));
    return 0;
  }
  const { previous } = rolled;
  const until =
    previous.state === 'expired'
      ? 'it stopped working now'
      : `it keeps working until ${timestamp(previous.expiresAt!)}`;
  console.log([`Rolled ${previous.id} into ${rolled.id}; ${until}.`, ...issuedKeyLines(rolled)].join('\n'));
  return 0;
}

/** `3600`, `3600s`, `30m`, `12h` or `7d`, in seconds. */
function graceSeconds(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text);
  if (!match) throw new UsageError(`--grace "${text}": expected a duration such as 3600s, 30m, 12h or 7d`);
  return checked(
    GracePeriodSchema,
    Number(match[1]) * SECONDS_PER_UNIT[match[2] || 's']!,
    `--grace "${text}"`,
  );
}

function consumerName(name: string): string {
  return checked(ConsumerNameSchema, name, `"${name}"`);
}

function keyId(id: string): string {
  if (!ApiKeyIdSchema.safeParse(id).success) {
    throw new UsageError(`"${id}" is not a key id; edgeway keys list <consumer> shows them (key_...)`);
  }
  return id;
}
