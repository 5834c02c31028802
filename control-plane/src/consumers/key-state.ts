/**
 * A key's state as the API shows it: `revoked` once revoked; `expired` once its expiry
 * has passed; `expiring` while it works but has an expiry (a rolled key in its grace
 * period, or a key created with one); `active` while it works with no end set.
 */
import type { StoredApiKey } from '../store/api-keys.ts';

export type KeyState = 'active' | 'expiring' | 'expired' | 'revoked';

export function keyState(key: Pick<StoredApiKey, 'expiresAt' | 'revokedAt'>, now: Date): KeyState {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt === null) return 'active';
  return Date.parse(key.expiresAt) <= now.getTime() ? 'expired' : 'expiring';
}

/** Whether the data plane accepts the key now. */
export function keyWorks(key: Pick<StoredApiKey, 'expiresAt' | 'revokedAt'>, now: Date): boolean {
  const state = keyState(key, now);
  return state === 'active' || state === 'expiring';
}
