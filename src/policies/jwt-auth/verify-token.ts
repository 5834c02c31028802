/**
 * Verifies one compact JWS JWT (RFC 7515, RFC 7519) against the policy's rules and
 * returns its claims or why it was refused. Cheap checks come first: the header's `alg`
 * against the pinned list (so `none`, in any case, never gets further) and the `kid`'s
 * shape, before any key lookup. The key comes from the policy's own key source only:
 * `jku`, `x5u`, `x5c` and an embedded `jwk` header are never read (RFC 8725 §3.10).
 * jose then checks the signature, `exp` (required), `nbf`, `iss` and `aud`; jose checks
 * `iat` only against a maximum age, so a future `iat` is refused here. Every exception
 * jose throws becomes a refusal reason.
 */
import { decodeProtectedHeader, errors, type JWSHeaderParameters, type JWTPayload, jwtVerify } from 'jose';
import { err, ok, type Result } from '../../config/result.ts';
import type { PolicyContext } from '../contract.ts';
import { type JwtFailure, jwtFailure } from './failure.ts';
import type { KeyResolver } from './key-set.ts';
import { isAcceptableKid, type JwtAuthOptions } from './schema.ts';

export interface TokenRules {
  readonly algorithms: JwtAuthOptions['algorithms'];
  readonly allowedAlgorithms: ReadonlySet<string>;
  readonly issuer: string;
  readonly audience: string | string[];
  readonly clockToleranceSeconds: number;
  readonly resolveKey: KeyResolver;
}

export function tokenRules(options: JwtAuthOptions, resolveKey: KeyResolver): TokenRules {
  const { algorithms, issuer, audience, clockToleranceSeconds } = options;
  return {
    algorithms,
    allowedAlgorithms: new Set(algorithms),
    issuer,
    audience,
    clockToleranceSeconds,
    resolveKey,
  };
}

export async function verifyToken(
  token: string,
  rules: TokenRules,
  ctx: PolicyContext,
): Promise<Result<JWTPayload, JwtFailure>> {
  const header = protectedHeaderOf(token);
  if (!header.ok) return header;
  const { alg, kid } = header.value;
  if (typeof alg !== 'string' || !rules.allowedAlgorithms.has(alg))
    return err(jwtFailure('algorithm-not-allowed'));
  if (kid !== undefined && (typeof kid !== 'string' || !isAcceptableKid(kid)))
    return err(jwtFailure('kid-not-acceptable'));
  const key = await rules.resolveKey(header.value, ctx);
  if (!key.ok) return key;
  const now = ctx.now();
  try {
    const { payload } = await jwtVerify(token, key.value, {
      algorithms: rules.algorithms,
      issuer: rules.issuer,
      audience: rules.audience,
      requiredClaims: ['exp'],
      clockTolerance: rules.clockToleranceSeconds,
      currentDate: new Date(now),
    });
    if (payload.iat !== undefined && payload.iat > now / 1000 + rules.clockToleranceSeconds)
      return err(jwtFailure('issued-in-future'));
    return ok(payload);
  } catch (error) {
    return err(joseFailure(error));
  }
}

function protectedHeaderOf(token: string): Result<JWSHeaderParameters, JwtFailure> {
  try {
    return ok(decodeProtectedHeader(token) as JWSHeaderParameters);
  } catch (error) {
    return err(jwtFailure('token-malformed', String(error)));
  }
}

function joseFailure(error: unknown): JwtFailure {
  const detail = String(error);
  if (error instanceof errors.JWTExpired) return jwtFailure('expired', detail);
  if (error instanceof errors.JWTClaimValidationFailed) return jwtFailure('claim-invalid', detail);
  if (error instanceof errors.JWSSignatureVerificationFailed) return jwtFailure('signature-invalid', detail);
  return jwtFailure('token-malformed', detail);
}
