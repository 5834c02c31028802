/**
 * The answers every auth policy gives when it refuses a request: 401 with a
 * `WWW-Authenticate` challenge (RFC 9110 §11.6.1) when credentials are missing or not
 * accepted, 403 when the caller is known but not allowed. Both are problem+json. The
 * detail says what a client can act on and never which part of a credential was wrong.
 */
import { problemResponse } from '../config/problem.ts';

export interface Challenge {
  /** The auth scheme, e.g. `Bearer`, `Basic`, `ApiKey`. */
  readonly scheme: string;
  /** Auth parameters, e.g. `{ realm: 'edgeway', error: 'invalid_token' }` (RFC 6750 §3). */
  readonly params?: Readonly<Record<string, string>>;
}

/** `Bearer realm="edgeway", error="invalid_token"`: quoted-string values (RFC 9110 §5.6.4). */
export function formatChallenge({ scheme, params = {} }: Challenge): string {
  const parts = Object.entries(params).map(
    ([name, value]) => `${name}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
  );
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}

export function unauthorized(requestId: string, challenge: Challenge, detail: string): Response {
  return problemResponse(
    { slug: 'unauthorized', status: 401, title: 'Unauthorized', detail, requestId },
    { 'www-authenticate': formatChallenge(challenge) },
  );
}

export function forbidden(requestId: string, detail: string): Response {
  return problemResponse({ slug: 'forbidden', status: 403, title: 'Forbidden', detail, requestId });
}
