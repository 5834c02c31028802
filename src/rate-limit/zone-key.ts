/**
 * The name of the zone a count lives in: `<prefix>:<kind>:<value>`, where the prefix names
 * the policy kind, the environment and the policy instance (`rl:production:per-ip`), so
 * every policy and key has its own Durable Object (docs/storage.md). A value that is long
 * or not plain printable ASCII (a header or a claim is whatever the client or the issuer
 * wrote) is replaced by its SHA-256, which bounds the key and keeps it printable. A plain
 * value, the usual case, gives the key at once rather than a promise of it.
 */
import { hashedKey } from '../cache/expiring-cache.ts';

const PLAIN_VALUE = /^[\x21-\x7e]{1,128}$/;

export function zoneKey(prefix: string, kind: string, value: string): string | Promise<string> {
  return PLAIN_VALUE.test(value) ? `${prefix}:${kind}:${value}` : hashedZoneKey(prefix, kind, value);
}

async function hashedZoneKey(prefix: string, kind: string, value: string): Promise<string> {
  return `${prefix}:${kind}:sha256:${await hashedKey(value)}`;
}
