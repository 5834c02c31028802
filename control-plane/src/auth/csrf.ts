/**
 * Cross-site request forgery checks for requests a session cookie authenticates. A
 * mutation passes only when it is not cross-site by the browser's own account
 * (`Sec-Fetch-Site`, Fetch Metadata; else `Origin`, RFC 6454) and it presents the
 * session's CSRF token, compared in constant time. Bearer-token requests carry no
 * ambient credential, so they are never checked.
 */
import { secretsEqual } from './token-crypto.ts';

export const CSRF_FIELD = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isMutation(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Whether the browser says the request came from another site. A request naming neither
 * header (an old browser, or not a browser) is left to the token check.
 */
export function isCrossSite(headers: Headers, requestUrl: string): boolean {
  const site = headers.get('sec-fetch-site');
  if (site !== null) return site !== 'same-origin';
  const origin = headers.get('origin');
  return origin !== null && origin !== new URL(requestUrl).origin;
}

export async function csrfTokenMatches(presented: string | undefined, expected: string): Promise<boolean> {
  return presented !== undefined && presented !== '' && (await secretsEqual(presented, expected));
}
