/**
 * Keys from a `jwksUrl`, cached per isolate by URL, so every deployment load and every
 * policy instance naming the same issuer shares one copy and one fetch schedule.
 *
 * - A cold URL is fetched while the request waits; requests arriving meanwhile join
 *   that fetch instead of starting their own.
 * - Keys older than `cacheTtlSeconds` are still used while one background fetch
 *   (kept alive with waitUntil) replaces them.
 * - A token naming a kid the set lacks (a rotation the cache has not seen) makes the
 *   request wait for a refetch, at most one per `minRefetchIntervalSeconds` per URL; so
 *   do cold and stale fetches, which bounds what garbage tokens or a dead endpoint cost.
 * - A failed fetch (error status, timeout, garbage) is logged and changes nothing: the
 *   last-known-good keys keep verifying tokens.
 *
 * jose's createRemoteJWKSet is not used: it drops the keys it has when a refetch fails.
 */
import { err } from '../../config/result.ts';
import type { PolicyContext } from '../contract.ts';
import { jwtFailure } from './failure.ts';
import { fetchKeySet } from './jwks-fetch.ts';
import type { KeyResolver, KeySet } from './key-set.ts';
import type { JwksTuning } from './schema.ts';

/** Issuers per isolate; the least recently used URL goes first. */
const MAX_URLS = 100;

interface JwksEntry {
  keys: KeySet | undefined;
  /** When the keys were fetched; NEGATIVE_INFINITY before the first success. */
  fetchedAt: number;
  /** When the last fetch started, successful or not. */
  attemptedAt: number;
  inFlight: Promise<void> | undefined;
}

const entries = new Map<string, JwksEntry>();

function entryFor(url: string): JwksEntry {
  const entry = entries.get(url) ?? {
    keys: undefined,
    fetchedAt: Number.NEGATIVE_INFINITY,
    attemptedAt: Number.NEGATIVE_INFINITY,
    inFlight: undefined,
  };
  entries.delete(url);
  entries.set(url, entry);
  if (entries.size > MAX_URLS) entries.delete(entries.keys().next().value as string);
  return entry;
}

export function remoteKeyResolver(url: string, tuning: JwksTuning): KeyResolver {
  const ttlMs = tuning.cacheTtlSeconds * 1000;
  const minRefetchMs = tuning.minRefetchIntervalSeconds * 1000;

  /** Starts a fetch unless one is running or the last began under minRefetchMs ago. */
  function refetch(entry: JwksEntry, ctx: PolicyContext): Promise<void> {
    const now = ctx.now();
    if (entry.inFlight) return entry.inFlight;
    if (now - entry.attemptedAt < minRefetchMs) return Promise.resolve();
    entry.attemptedAt = now;
    const running = fetchKeySet(url, tuning.timeoutMs).then((result) => {
      if (result.ok) {
        entry.keys = result.value;
        entry.fetchedAt = now;
      } else {
        ctx.log.warn('JWKS fetch failed; keeping the keys already cached', {
          jwksUrl: url,
          error: result.error,
          hasKeys: entry.keys !== undefined,
        });
      }
      entry.inFlight = undefined;
    });
    entry.inFlight = running;
    ctx.waitUntil(running);
    return running;
  }

  return async function resolveRemoteKey(header, ctx) {
    const entry = entryFor(url);
    if (!entry.keys) await refetch(entry, ctx);
    else if (ctx.now() - entry.fetchedAt >= ttlMs) void refetch(entry, ctx);
    if (!entry.keys) return err(jwtFailure('keys-unavailable', 'no JWKS fetched yet'));
    const found = await entry.keys.find(header);
    if (found.ok || found.error.reason !== 'unknown-key') return found;
    await refetch(entry, ctx);
    return entry.keys.find(header);
  };
}
