/**
 * Time-ordered identifiers: 10 base-32 characters of milliseconds since the epoch, then 16
 * of randomness (the ULID layout, lowercased). Sorting ids sorts by creation time, which
 * lets list endpoints page with the last id as the cursor.
 */
import { ApiKeyIdSchema, ConsumerIdSchema } from '../../src/config/api-keys.ts';
import { type DeploymentId, DeploymentIdSchema } from '../../src/config/ids.ts';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

export function timeOrderedId(now: number = Date.now()): string {
  let time = '';
  for (let rest = now, i = 0; i < TIME_CHARS; i++, rest = Math.floor(rest / 32)) {
    time = ALPHABET[rest % 32] + time;
  }
  const random = crypto.getRandomValues(new Uint8Array(RANDOM_CHARS));
  return time + Array.from(random, (byte) => ALPHABET[byte % 32]).join('');
}

export function newDeploymentId(): DeploymentId {
  return DeploymentIdSchema.parse(`dep_${timeOrderedId()}`);
}

export function newConsumerId(): string {
  return ConsumerIdSchema.parse(`con_${timeOrderedId()}`);
}

export function newApiKeyId(): string {
  return ApiKeyIdSchema.parse(`key_${timeOrderedId()}`);
}
