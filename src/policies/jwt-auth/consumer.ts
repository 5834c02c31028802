/**
 * A verified token's claims as the request's Consumer (src/identity/consumer.ts): the
 * subject claim is its id and name, the scopes claim its scopes. Scopes are read as an
 * OAuth space-separated string (RFC 8693 §4.2 `scope`) or as a list of strings (Azure
 * AD's `scp`, Okta's `scp`); anything else grants none.
 */
import type { JWTPayload } from 'jose';
import { err, ok, type Result } from '../../config/result.ts';
import type { Consumer } from '../../identity/consumer.ts';
import { type JwtFailure, jwtFailure } from './failure.ts';

export type ConsumerOfClaims = (claims: JWTPayload) => Result<Consumer, JwtFailure>;

export function createConsumerOfClaims(subjectClaim: string, scopesClaim: string): ConsumerOfClaims {
  return function consumerOfClaims(claims) {
    const subject = claims[subjectClaim];
    if (typeof subject !== 'string' || subject === '')
      return err(jwtFailure('subject-missing', `no "${subjectClaim}" string claim`));
    return ok({
      method: 'jwt',
      id: subject,
      name: subject,
      scopes: scopesOf(claims[scopesClaim]),
      claims,
      tags: [],
      metadata: {},
    });
  };
}

function scopesOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((scope) => scope !== '');
  if (Array.isArray(value)) return value.filter((scope) => typeof scope === 'string' && scope !== '');
  return [];
}
