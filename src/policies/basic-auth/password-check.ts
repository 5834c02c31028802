/**
 * Checks a user name and password against the configured users' PBKDF2 hashes.
 *
 * Timing reveals neither the password nor which user names exist: the derived bytes are
 * compared in constant time, and an unknown user name costs the same derivation, against a
 * decoy hash with the configured users' highest iteration count. A verified password is
 * remembered for VERIFIED_TTL_MS, keyed by the SHA-256 of its hash and itself, so a client
 * sending the same credentials again costs a digest, not a derivation; a changed hash
 * (a new deployment) changes the key, so an old password stops working at once.
 */

import { ExpiringCache, hashedKey } from '../../cache/expiring-cache.ts';
import {
  type PasswordHash,
  PBKDF2_DEFAULT_ITERATIONS,
  parsePasswordHash,
  verifyPassword,
} from '../../config/password-hash.ts';

const VERIFIED_TTL_MS = 60_000;
const MAX_VERIFIED = 1_000;
const verified = new ExpiringCache<true>(MAX_VERIFIED);

interface ConfiguredUser {
  readonly hashText: string;
  readonly hash: PasswordHash;
}

/** The user's name (NFC, as it is configured) when the password is theirs, else undefined. */
export type PasswordCheck = (user: string, password: string, now: number) => Promise<string | undefined>;

export function createPasswordCheck(users: Readonly<Record<string, string>>): PasswordCheck {
  const known = new Map<string, ConfiguredUser>();
  for (const [name, hashText] of Object.entries(users)) {
    const hash = parsePasswordHash(hashText);
    // The schema checked every hash; this is a deployment that bypassed it.
    if (!hash) throw new Error(`the password hash of user "${name}" is not in the accepted format`);
    known.set(name.normalize('NFC'), { hashText, hash });
  }
  const iterations = [...known.values()].map((configured) => configured.hash.iterations);
  const decoy = decoyHash(iterations.length > 0 ? Math.max(...iterations) : PBKDF2_DEFAULT_ITERATIONS);

  return async function checkPassword(user, password, now) {
    const name = user.normalize('NFC');
    const configured = known.get(name);
    if (!configured) {
      await verifyPassword(password, decoy);
      return undefined;
    }
    const key = await hashedKey(configured.hashText, password);
    if (verified.get(key, now)) return name;
    if (!(await verifyPassword(password, configured.hash))) return undefined;
    verified.set(key, true, now + VERIFIED_TTL_MS, now);
    return name;
  };
}

/** Random salt and hash: no password derives to it, and deriving costs `iterations`. */
function decoyHash(iterations: number): PasswordHash {
  return {
    iterations,
    salt: crypto.getRandomValues(new Uint8Array(16)),
    hash: crypto.getRandomValues(new Uint8Array(32)),
  };
}
