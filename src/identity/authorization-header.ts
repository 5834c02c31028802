/**
 * Splits a credentials header value (RFC 9110 §11.4: `auth-scheme [ 1*SP token68 ]`) into
 * its scheme and what follows, so each auth policy matches the scheme the same way: case-
 * insensitively (§11.1), with surrounding whitespace ignored.
 */

export interface SchemeCredentials {
  /** The auth scheme, lowercased. */
  readonly scheme: string;
  /** What follows the scheme, trimmed; empty when nothing does. */
  readonly credentials: string;
}

export function splitCredentials(value: string): SchemeCredentials {
  const trimmed = value.trim();
  const space = trimmed.search(/[ \t]/);
  if (space < 0) return { scheme: trimmed.toLowerCase(), credentials: '' };
  return { scheme: trimmed.slice(0, space).toLowerCase(), credentials: trimmed.slice(space + 1).trim() };
}
