/**
 * The isolate's view of the API-key records the control plane publishes to KV
 * (`apikey/<sha256>`, src/config/api-keys.ts). A lookup is by the key's hash, never by
 * the key, so no secret is compared or kept here. Found records and unknown hashes are
 * both cached for `ttlMs`: that TTL is the bound on how long a revoked key keeps working
 * in an isolate that saw it (on Cloudflare, plus KV's own propagation). Concurrent
 * lookups of one hash share one KV read.
 *
 * When KV fails, a record seen before keeps being served (last-known-good, as for
 * deployments) and a hash never seen is `unavailable`, which the policy answers 503.
 */
import { type ApiKeyRecord, ApiKeyRecordSchema } from '../config/api-keys.ts';
import { kvKeys } from '../config/kv-keys.ts';
import type { ConfigStore } from '../deployment/kv-source.ts';
import type { Logger } from '../policies/contract.ts';

export type ApiKeyLookup =
  | { readonly kind: 'found'; readonly record: ApiKeyRecord }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'unavailable' };

export interface ApiKeyDirectory {
  lookUp(hash: string): Promise<ApiKeyLookup>;
}

export interface ApiKeyDirectoryOptions {
  readonly kv: ConfigStore;
  readonly ttlMs: number;
  readonly now: () => number;
  readonly log: Logger;
}

interface Entry {
  lookup: ApiKeyLookup;
  fetchedAt: number;
  pending: Promise<ApiKeyLookup> | undefined;
}

/** Bounds memory under a flood of distinct keys; the least recently used goes first. */
const MAX_ENTRIES = 10_000;
const UNKNOWN: ApiKeyLookup = { kind: 'unknown' };
const UNAVAILABLE: ApiKeyLookup = { kind: 'unavailable' };

export function createApiKeyDirectory(options: ApiKeyDirectoryOptions): ApiKeyDirectory {
  const { kv, ttlMs, now, log } = options;
  const entries = new Map<string, Entry>();

  async function read(hash: string, previous: ApiKeyLookup): Promise<ApiKeyLookup> {
    const key = kvKeys.apiKey(hash);
    let text: string | null;
    try {
      text = await kv.get(key, 'text');
    } catch (error) {
      log.warn('API key lookup failed; keeping what this isolate knew', { key, error: String(error) });
      return previous.kind === 'found' ? previous : UNAVAILABLE;
    }
    if (text === null) return UNKNOWN;
    const parsed = parseRecord(text);
    if (!parsed) log.warn('API key record does not match its schema; treating the key as unknown', { key });
    return parsed ? { kind: 'found', record: parsed } : UNKNOWN;
  }

  return {
    lookUp(hash) {
      const entry = entries.get(hash);
      if (entry?.pending) return entry.pending;
      if (entry && entry.lookup !== UNAVAILABLE && now() - entry.fetchedAt < ttlMs) {
        entries.delete(hash);
        entries.set(hash, entry);
        return Promise.resolve(entry.lookup);
      }
      const current: Entry = entry ?? { lookup: UNAVAILABLE, fetchedAt: 0, pending: undefined };
      current.pending = read(hash, current.lookup).then((lookup) => {
        current.lookup = lookup;
        current.fetchedAt = now();
        current.pending = undefined;
        return lookup;
      });
      entries.delete(hash);
      entries.set(hash, current);
      if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      return current.pending;
    },
  };
}

function parseRecord(text: string): ApiKeyRecord | undefined {
  try {
    const result = ApiKeyRecordSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
