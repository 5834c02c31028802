/**
 * API keys, shared by both planes: the key format and the record the control plane
 * publishes to KV for each key (DESIGN.md: the planes exchange compiled deployments and
 * API-key records).
 *
 * Format, in the style of GitHub's tokens: `ew_<set>_<32 base62 random><6 base62 CRC32>`,
 * e.g. `ew_live_...`. The prefix makes a leaked key recognisable to scanners and says
 * which key set it belongs to (`live` for production, `test` for previews); 32 base62
 * characters carry 190 random bits; the checksum lets the edge reject a mistyped or
 * invented key without any I/O. Only the SHA-256 of the whole key is ever stored.
 */
import { z } from 'zod';

export const KEY_SETS = ['live', 'test'] as const;
export const KeySetSchema = z.enum(KEY_SETS);
export type KeySet = z.infer<typeof KeySetSchema>;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_CHARS = 32;
const CHECKSUM_CHARS = 6;
const KEY_PATTERN = new RegExp(
  `^ew_(live|test)_([0-9A-Za-z]{${RANDOM_CHARS}})([0-9A-Za-z]{${CHECKSUM_CHARS}})$`,
);

/** The key set production deploys use; every other environment uses `test`. */
export function keySetFor(environment: string): KeySet {
  return environment === 'production' ? 'live' : 'test';
}

/** A new key for `set`, from the platform's CSPRNG. */
export function generateApiKey(set: KeySet): string {
  // 62 * 4 = 248: rejecting bytes >= 248 keeps every character equally likely.
  let random = '';
  while (random.length < RANDOM_CHARS) {
    for (const byte of crypto.getRandomValues(new Uint8Array(RANDOM_CHARS))) {
      if (byte < 248 && random.length < RANDOM_CHARS) random += BASE62[byte % 62];
    }
  }
  const body = `ew_${set}_${random}`;
  return body + checksumOf(body);
}

/** The key's set when it is well formed and its checksum matches, else undefined. */
export function parseApiKey(key: string): KeySet | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  const body = key.slice(0, key.length - CHECKSUM_CHARS);
  return checksumOf(body) === match[3] ? (match[1] as KeySet) : undefined;
}

/** What identifies a key in storage: lowercase hex SHA-256 of the whole key. */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The first characters of a key, safe to show in lists: the prefix and 4 random characters. */
export function apiKeyHint(key: string): string {
  return `${key.slice(0, 'ew_live_'.length + 4)}...`;
}

function checksumOf(body: string): string {
  let value = crc32(new TextEncoder().encode(body));
  let text = '';
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    text = BASE62[value % 62] + text;
    value = Math.floor(value / 62);
  }
  return text;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO-HDLC, as in zlib and GitHub's token checksum). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const ConsumerIdSchema = z.string().regex(/^con_[0-9a-z]{26}$/);
export const ApiKeyIdSchema = z.string().regex(/^key_[0-9a-z]{26}$/);

/** What the data plane needs about a key's consumer; rewritten on every key when the consumer changes. */
export const ApiKeyConsumerSchema = z.object({
  id: ConsumerIdSchema,
  name: z.string(),
  tags: z.array(z.string()),
  plan: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()),
});
export type ApiKeyConsumer = z.infer<typeof ApiKeyConsumerSchema>;

/**
 * The value at `apikey/<sha256 hex>`. A revoked key's record is deleted; a rolled key's
 * record gets the grace period's end as `expiresAt`.
 */
export const ApiKeyRecordSchema = z.object({
  keyId: ApiKeyIdSchema,
  keySet: KeySetSchema,
  consumer: ApiKeyConsumerSchema,
  /** ISO 8601; null for a key that does not expire. */
  expiresAt: z.string().datetime().nullable(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;
