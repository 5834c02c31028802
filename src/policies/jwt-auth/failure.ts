/**
 * Why a token was refused. Clients are told only that the token is not valid (RFC 6750
 * §3.1 `invalid_token`); these reasons, and jose's message as `detail`, go to the log so
 * an operator can tell an expired token from a key that cannot be fetched.
 */

export type JwtFailureReason =
  | 'token-too-long'
  | 'token-malformed'
  | 'algorithm-not-allowed'
  | 'kid-not-acceptable'
  | 'unknown-key'
  | 'key-unusable'
  | 'keys-unavailable'
  | 'signature-invalid'
  | 'expired'
  | 'claim-invalid'
  | 'issued-in-future'
  | 'subject-missing';

export interface JwtFailure {
  readonly reason: JwtFailureReason;
  /** Safe for logs: never the token, a key or a claim value. */
  readonly detail?: string;
}

export function jwtFailure(reason: JwtFailureReason, detail?: string): JwtFailure {
  return detail === undefined ? { reason } : { reason, detail };
}
