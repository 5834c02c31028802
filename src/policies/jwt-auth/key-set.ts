/**
 * A verified-shape JSON Web Key Set (RFC 7517 §5) and the one way to pick a key from it.
 * jose's createLocalJWKSet does the selection (alg, kty, crv, `use`, `key_ops`, exactly
 * one match) and caches imported keys; in front of it a set of the kids present means a
 * token naming any other kid costs one Set lookup and nothing else. Used for JWKS
 * documents fetched from `jwksUrl` and for the public keys written in config.
 */
import { type CryptoKey, createLocalJWKSet, errors, type JWSHeaderParameters, type LocalJWKSet } from 'jose';
import { err, ok, type Result } from '../../config/result.ts';
import type { PolicyContext } from '../contract.ts';
import { type JwtFailure, jwtFailure } from './failure.ts';

/** Far more than any issuer publishes; bounds the work of one lookup. */
const MAX_KEYS = 100;

export interface KeySet {
  /** The key for a token with this (already checked) protected header. */
  find(header: JWSHeaderParameters): Promise<Result<CryptoKey, JwtFailure>>;
}

export function keySetFrom(document: unknown): Result<KeySet, string> {
  const keys =
    typeof document === 'object' && document !== null ? (document as { keys?: unknown }).keys : null;
  if (!Array.isArray(keys)) return err('not a JSON Web Key Set');
  if (keys.length > MAX_KEYS) return err(`more than ${MAX_KEYS} keys`);
  let local: LocalJWKSet;
  try {
    local = createLocalJWKSet({ keys } as Parameters<typeof createLocalJWKSet>[0]);
  } catch (error) {
    return err(String(error));
  }
  const kids = new Set(
    keys.map((key) => (key as { kid?: unknown }).kid).filter((kid) => typeof kid === 'string'),
  );
  return ok({
    async find(header) {
      if (header.kid !== undefined && !kids.has(header.kid)) return err(jwtFailure('unknown-key'));
      try {
        return ok(await local(header));
      } catch (error) {
        // No match may mean a rotation this set predates; anything else (two matches, a key
        // jose cannot import) stays wrong until the set changes.
        const reason = error instanceof errors.JWKSNoMatchingKey ? 'unknown-key' : 'key-unusable';
        return err(jwtFailure(reason, String(error)));
      }
    },
  });
}

/** Finds the verification key for a token's protected header: from config, or from a JWKS. */
export type KeyResolver = (
  header: JWSHeaderParameters,
  ctx: PolicyContext,
) => Promise<Result<CryptoKey | Uint8Array, JwtFailure>>;
