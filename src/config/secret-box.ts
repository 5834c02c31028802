/**
 * Secrets at rest: AES-256-GCM under the `SECRETS_KEY` Worker secret (base64 of 32 random
 * bytes), so D1 never holds a secret in clear. A sealed value is `v1.<iv>.<ciphertext>`:
 * base64 of a fresh 12-byte IV and of the ciphertext with its 16-byte tag (NIST SP 800-38D;
 * Web Crypto AES-GCM). The caller names what the secret belongs to (`context`, e.g.
 * `repository:repo_…`); it is authenticated as additional data, so a sealed value copied
 * onto another row does not open there. The `v1` prefix leaves room for key rotation.
 */

import { base64ToBytes, bytesToBase64 } from './base64.ts';
import { err, ok, type Result } from './result.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const VERSION = 'v1';

export type KeyFailure = 'missing' | 'malformed';
export type OpenFailure = 'malformed' | 'unauthentic';

/** The key from its base64 form; `missing` when the secret is unset, `malformed` unless it is 32 bytes. */
export async function importSecretsKey(base64: string | undefined): Promise<Result<CryptoKey, KeyFailure>> {
  if (!base64) return err('missing');
  const bytes = base64ToBytes(base64.trim());
  if (bytes?.length !== KEY_BYTES) return err('malformed');
  return ok(await crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']));
}

export async function seal(key: CryptoKey, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encode(context) },
    key,
    encode(plaintext),
  );
  return [VERSION, bytesToBase64(iv), bytesToBase64(new Uint8Array(ciphertext))].join('.');
}

/** `unauthentic` when the key, the context or a byte of the value is not what sealed it. */
export async function open(
  key: CryptoKey,
  sealed: string,
  context: string,
): Promise<Result<string, OpenFailure>> {
  const [version, ivText, ciphertextText, ...rest] = sealed.split('.');
  const iv = base64ToBytes(ivText ?? '');
  const ciphertext = base64ToBytes(ciphertextText ?? '');
  if (version !== VERSION || rest.length > 0 || iv?.length !== IV_BYTES || !ciphertext)
    return err('malformed');
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: encode(context) },
      key,
      ciphertext,
    );
    return ok(new TextDecoder().decode(plaintext));
  } catch {
    return err('unauthentic');
  }
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
