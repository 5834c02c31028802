/**
 * Reads HTTP Basic credentials (RFC 7617 §2) from an Authorization header value:
 * `Basic <base64 of user-id ":" password>`, decoded as UTF-8, the charset the policy's
 * challenge announces (§2.1). Another scheme is not a Basic credential at all, so the
 * request counts as carrying none; a Basic one that does not decode is malformed.
 */
import { base64ToBytes } from '../../config/base64.ts';
import { splitCredentials } from '../../identity/authorization-header.ts';

export type BasicCredentials =
  | { readonly kind: 'absent' }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'present'; readonly user: string; readonly password: string };

const ABSENT: BasicCredentials = { kind: 'absent' };
const MALFORMED: BasicCredentials = { kind: 'malformed' };
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function readBasicCredentials(authorization: string | null): BasicCredentials {
  if (authorization === null) return ABSENT;
  const { scheme, credentials } = splitCredentials(authorization);
  if (scheme !== 'basic') return ABSENT;
  const bytes = BASE64_PATTERN.test(credentials) ? base64ToBytes(credentials) : null;
  if (!bytes) return MALFORMED;
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return MALFORMED;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return MALFORMED;
  return { kind: 'present', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
