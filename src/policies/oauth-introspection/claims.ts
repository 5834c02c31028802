/**
 * Turns an introspection answer into the consumer, or the reason the token is not valid
 * here. The endpoint's `active` is trusted, and checked against what the gateway knows
 * itself: `exp` and `nbf` against its clock (an answer may be cached, or the server's
 * clock ahead), `aud` against the configured audience (RFC 7662 §2.2).
 */
import { err, ok, type Result } from '../../config/result.ts';
import type { Consumer } from '../../identity/consumer.ts';
import type { IntrospectionResponse } from './introspect.ts';

export type TokenRefusal = 'inactive' | 'expired' | 'not-yet-valid' | 'wrong-audience' | 'no-subject';

export interface ClaimRules {
  readonly audience: string | undefined;
  readonly subjectClaim: string;
}

const FALLBACK_SUBJECT_CLAIMS = ['username', 'client_id'];

export function consumerOf(
  response: IntrospectionResponse,
  now: number,
  rules: ClaimRules,
): Result<Consumer, TokenRefusal> {
  if (!response.active) return err('inactive');
  if (typeof response.exp === 'number' && response.exp * 1000 <= now) return err('expired');
  if (typeof response.nbf === 'number' && response.nbf * 1000 > now) return err('not-yet-valid');
  if (rules.audience !== undefined && !audiences(response.aud).includes(rules.audience)) {
    return err('wrong-audience');
  }
  const subject = [rules.subjectClaim, ...FALLBACK_SUBJECT_CLAIMS]
    .map((claim) => response[claim])
    .find((value): value is string => typeof value === 'string' && value !== '');
  if (subject === undefined) return err('no-subject');
  return ok({
    id: subject,
    name: subject,
    method: 'oauth',
    tags: [],
    metadata: {},
    scopes: typeof response.scope === 'string' ? response.scope.split(' ').filter(Boolean) : [],
    claims: response,
  });
}

/** `aud` is a string or a list of strings (RFC 7662 §2.2, after RFC 7519 §4.1.3). */
function audiences(aud: unknown): readonly unknown[] {
  if (Array.isArray(aud)) return aud;
  return aud === undefined ? [] : [aud];
}
