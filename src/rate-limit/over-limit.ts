/**
 * The isolate's memory of keys their zone refused, or left with nothing to spare: until
 * `retryAt` such a key is answered 429 at once, without a call to the zone (DESIGN.md
 * "Hot path rules"), which is what makes a refusal cheaper than a forward. Shared by every
 * rate-limit and quota policy instance of the isolate, so an entry outlives a redeploy;
 * entries are keyed by the zone key and the limits' signature, so a changed limit starts
 * afresh. Bounded: at MAX_KEYS the least recently used key is forgotten first, and then
 * merely costs a zone call again.
 */
import { ExpiringCache } from '../cache/expiring-cache.ts';
import type { ServiceLimit } from './ratelimit-fields.ts';

export interface OverLimit {
  /** When the key may try again, epoch ms. */
  readonly retryAt: number;
  /** The limit that is used up, for the RateLimit field of the refusal. */
  readonly limit?: ServiceLimit;
}

const MAX_KEYS = 10_000;

export const overLimitKeys = new ExpiringCache<OverLimit>(MAX_KEYS);
