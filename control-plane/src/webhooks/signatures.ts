/**
 * The primitives the providers' webhook signatures are made of: HMAC-SHA256 (RFC 2104)
 * over the raw request bytes, and a comparison whose time does not depend on where the
 * bytes differ (workerd's `crypto.subtle.timingSafeEqual`); and the payload digest that
 * dedupe keys on.
 */

export async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const hmacKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, data));
}

/**
 * Whether `presentedHex` is the hex HMAC-SHA256 of the raw body under the webhook secret,
 * as GitHub (after `sha256=`) and Gitea/Forgejo (bare) send it; compared in constant time.
 */
export async function hexHmacMatches(
  presentedHex: string,
  secret: string,
  body: Uint8Array,
): Promise<boolean> {
  const presented = hexToBytes(presentedHex);
  const expected = await hmacSha256(new TextEncoder().encode(secret), body);
  return presented !== null && bytesEqual(presented, expected);
}

/** SHA-256 of the bytes as lowercase hex: the key that tells one payload from another. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Lengths are public (a digest's is fixed); contents are compared in constant time. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && crypto.subtle.timingSafeEqual(a, b);
}

/** Null unless the text is an even number of hex digits. */
export function hexToBytes(hex: string): Uint8Array | null {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return null;
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
    Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16),
  );
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
