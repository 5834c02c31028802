/**
 * Password hashes of basic-auth users, in the PHC string format
 * (https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md):
 *
 *   $pbkdf2-sha256$i=<iterations>$<salt>$<hash>
 *
 * with salt and hash in standard base64 without padding. PBKDF2-HMAC-SHA256 (RFC 8018 §5.2)
 * because it is the password hash Web Crypto offers on Workers; bcrypt and argon2 are not
 * available. `edgeway hash-password` writes these and the basic-auth policy checks them, so
 * both use this one module, which needs nothing but Web Crypto.
 *
 * Iterations are bounded: Cloudflare's runtime refuses one PBKDF2 derivation above 100,000
 * iterations (local workerd does not, so the bound is enforced here rather than discovered
 * in production), and below 10,000 a leaked hash is cheap to crack.
 */
import { base64ToBytes, bytesToBase64 } from './base64.ts';

export const PBKDF2_MIN_ITERATIONS = 10_000;
export const PBKDF2_MAX_ITERATIONS = 100_000;
export const PBKDF2_DEFAULT_ITERATIONS = PBKDF2_MAX_ITERATIONS;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

export const PASSWORD_HASH_MESSAGE = `expected a password hash "$pbkdf2-sha256$i=<iterations>$<salt>$<hash>" with ${PBKDF2_MIN_ITERATIONS} to ${PBKDF2_MAX_ITERATIONS} iterations, as \`edgeway hash-password\` prints it`;

export interface PasswordHash {
  readonly iterations: number;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
}

// Salt of 16 to 64 bytes (22 to 86 characters), hash of exactly 32 bytes (43 characters).
const PHC_PATTERN = /^\$pbkdf2-sha256\$i=([1-9][0-9]{0,6})\$([A-Za-z0-9+/]{22,86})\$([A-Za-z0-9+/]{43})$/;

function isAcceptedIterations(iterations: number): boolean {
  return (
    Number.isInteger(iterations) && iterations >= PBKDF2_MIN_ITERATIONS && iterations <= PBKDF2_MAX_ITERATIONS
  );
}

/** The parts of a hash in the format above, or undefined when `text` is not one. */
export function parsePasswordHash(text: string): PasswordHash | undefined {
  const match = PHC_PATTERN.exec(text);
  if (!match) return undefined;
  const iterations = Number(match[1]);
  const salt = unpaddedBase64ToBytes(match[2]!);
  const hash = unpaddedBase64ToBytes(match[3]!);
  if (!isAcceptedIterations(iterations) || !salt || salt.length < SALT_BYTES) return undefined;
  if (!hash || hash.length !== HASH_BYTES) return undefined;
  return { iterations, salt, hash };
}

/** A new hash of `password` with a random salt, in the format above. */
export async function hashPassword(
  password: string,
  iterations: number = PBKDF2_DEFAULT_ITERATIONS,
): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derivePasswordBytes(password, { iterations, salt });
  return `$pbkdf2-sha256$i=${iterations}$${unpaddedBase64(salt)}$${unpaddedBase64(hash)}`;
}

/**
 * Whether `password` has `expected` as its hash. The full derivation always runs and the
 * bytes are compared without an early exit, so the time taken does not depend on how
 * much of the hash matched.
 */
export async function verifyPassword(password: string, expected: PasswordHash): Promise<boolean> {
  const derived = await derivePasswordBytes(password, expected);
  return constantTimeEqual(derived, expected.hash);
}

/**
 * PBKDF2-HMAC-SHA256 of the password as UTF-8. Unicode passwords are normalised to NFC
 * first (as RFC 8265's OpaqueString profile does), so the same password typed on
 * systems that compose characters differently still matches.
 */
async function derivePasswordBytes(
  password: string,
  { iterations, salt }: Pick<PasswordHash, 'iterations' | 'salt'>,
): Promise<Uint8Array> {
  const material = new TextEncoder().encode(password.normalize('NFC'));
  const key = await crypto.subtle.importKey('raw', material, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ (b[index] ?? 0);
  return difference === 0;
}

function unpaddedBase64(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/=+$/, '');
}

function unpaddedBase64ToBytes(text: string): Uint8Array | null {
  return base64ToBytes(text.padEnd(Math.ceil(text.length / 4) * 4, '='));
}
