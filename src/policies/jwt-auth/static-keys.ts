/**
 * Keys written in the policy's config (`keys`): public JWKs for the asymmetric
 * algorithms, one shared secret for HS256/384/512. Built once per deployment load. The
 * algorithm family picks the key kind, so an HS256 token is only ever checked against
 * the secret, never against a public key's bytes (the RSA/HMAC confusion attack).
 */
import { err, ok } from '../../config/result.ts';
import { jwtFailure } from './failure.ts';
import { type KeyResolver, keySetFrom } from './key-set.ts';
import { isHmacAlgorithm, type StaticKeys } from './schema.ts';

export function staticKeyResolver({ publicKeys, secret }: StaticKeys): KeyResolver {
  const secretBytes = secret === undefined ? undefined : new TextEncoder().encode(secret);
  const keySet = keySetFrom({ keys: publicKeys });
  return async function resolveStaticKey(header) {
    if (isHmacAlgorithm(header.alg ?? '')) {
      return secretBytes ? ok(secretBytes) : err(jwtFailure('unknown-key', 'no secret configured'));
    }
    // The schema admits only key sets jose accepts; this guards the options contract anyway.
    return keySet.ok ? keySet.value.find(header) : err(jwtFailure('keys-unavailable', keySet.error));
  };
}
