/**
 * Token material: generating API tokens, session ids and CSRF tokens, hashing them for
 * storage, and comparing a presented secret with the expected one without leaking where
 * they differ.
 */

export const TOKEN_PREFIX = 'ewt_';
const TOKEN_BYTES = 32;

/** `ewt_` + 32 random bytes, base64url: 256 bits, so an unsalted SHA-256 is a safe lookup key. */
export function generateApiToken(): string {
  return TOKEN_PREFIX + randomSecret(TOKEN_BYTES);
}

/** `bytes` random bytes as unpadded base64url. */
export function randomSecret(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  const base64 = btoa(String.fromCharCode(...random));
  return base64.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await sha256(text);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Compares SHA-256 digests, which have equal lengths, so the time taken reveals nothing. */
export async function secretsEqual(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

function sha256(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
}
