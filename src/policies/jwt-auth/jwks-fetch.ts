/**
 * One fetch of a JWKS document: bounded in time (the whole exchange, body included, is
 * under one AbortSignal.timeout) and in size, and parsed into a KeySet. Every way it can
 * go wrong (status, timeout, oversized or unparseable body, not a key set) is a value
 * the cache logs before it keeps serving the keys it already has.
 */
import { err, ok, type Result } from '../../config/result.ts';
import { type KeySet, keySetFrom } from './key-set.ts';

/** Real key sets are a few KB; this leaves room for certificate chains (`x5c`). */
const MAX_JWKS_BYTES = 256 * 1024;

export async function fetchKeySet(url: string, timeoutMs: number): Promise<Result<KeySet, string>> {
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/jwk-set+json, application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return err(`answered ${response.status}`);
    }
    const body = await readAtMost(response, MAX_JWKS_BYTES);
    if (!body.ok) return body;
    return keySetFrom(JSON.parse(body.value));
  } catch (error) {
    // Network failure, timeout (TimeoutError) or a body that is not JSON.
    return err(String(error));
  }
}

async function readAtMost(response: Response, maxBytes: number): Promise<Result<string, string>> {
  const tooLarge = err(`body over ${maxBytes} bytes`);
  if (!response.body) return ok('');
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body.cancel();
    return tooLarge;
  }
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  // Leaving the loop early cancels the stream.
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > maxBytes) return tooLarge;
    text += decoder.decode(chunk, { stream: true });
  }
  return ok(text + decoder.decode());
}
