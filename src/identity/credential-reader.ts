/**
 * Reads a credential from the header an auth policy's options name (credentialLocation
 * in src/config/auth-fields.ts). Tells apart a request that carries no credential of this
 * kind, which `allowAnonymous` may let through, from one whose credential is present but
 * unusable, which is always refused. A header with another auth scheme carries another
 * kind of credential, so it counts as none.
 */
import type { CredentialLocation } from '../config/auth-fields.ts';
import { splitCredentials } from './authorization-header.ts';

export type CredentialReading =
  | { readonly kind: 'absent' }
  | { readonly kind: 'malformed'; readonly reason: 'too-long' | 'bad-characters' }
  | { readonly kind: 'present'; readonly credential: string };

export type CredentialReader = (headers: Headers) => CredentialReading;

export interface CredentialShape {
  /** What a well-formed credential looks like; anything else is malformed. */
  readonly pattern: RegExp;
  /** Checked before the pattern, so an oversized value is never scanned. */
  readonly maxLength: number;
}

const ABSENT: CredentialReading = { kind: 'absent' };
const TOO_LONG: CredentialReading = { kind: 'malformed', reason: 'too-long' };
const BAD_CHARACTERS: CredentialReading = { kind: 'malformed', reason: 'bad-characters' };

export function createCredentialReader(
  { header, scheme }: CredentialLocation,
  { pattern, maxLength }: CredentialShape,
): CredentialReader {
  const expectedScheme = scheme.toLowerCase();
  return function readCredential(headers) {
    const value = headers.get(header);
    if (value === null || value.trim() === '') return ABSENT;
    let credential = value.trim();
    if (expectedScheme !== '') {
      const split = splitCredentials(value);
      if (split.scheme !== expectedScheme) return ABSENT;
      credential = split.credentials;
    }
    if (credential.length > maxLength) return TOO_LONG;
    if (!pattern.test(credential)) return BAD_CHARACTERS;
    return { kind: 'present', credential };
  };
}
