/**
 * Introspection results, remembered per isolate and shared by concurrent requests.
 *
 * A result is reused until its `freshUntil`: for an active token, the policy's
 * maxActiveSeconds and never past the token's `exp`; for an inactive or expired one,
 * inactiveSeconds. With onError allow-cached, an active result is kept a while longer
 * (`staleMs`, still never past `exp`) and served only when the endpoint fails.
 *
 * Concurrent requests for one token make one introspection request: the first starts it,
 * the others wait for its result. A request that joins waits at most `timeoutMs`: on
 * Workers, when the request that started a fetch is cancelled, the runtime cancels the
 * other requests' continuations of its promise ("A promise was resolved or rejected from a
 * different request context..."), so it would never settle for them. A join that runs out
 * of time counts as an endpoint timeout.
 */

import { ExpiringCache, hashedKey } from '../../cache/expiring-cache.ts';
import { err, type Result } from '../../config/result.ts';
import type { Introspect, IntrospectionFailure, IntrospectionResponse } from './introspect.ts';

/** Bounds isolate memory; an introspection result is well under a kilobyte. */
const MAX_CACHED_RESULTS = 10_000;
/** Beyond this many distinct tokens in flight at once, lookups are no longer shared. */
const MAX_IN_FLIGHT = 1_000;

export interface LookupSettings {
  /** What, besides the token, the result depends on: endpoint, client and cache bounds. */
  readonly scope: string;
  readonly maxActiveMs: number;
  readonly inactiveMs: number;
  /** How long an active result stays usable after its freshness while the endpoint fails; 0 for never. */
  readonly staleMs: number;
  readonly timeoutMs: number;
}

export type Lookup =
  | { readonly kind: 'answered'; readonly response: IntrospectionResponse; readonly stale: boolean }
  | { readonly kind: 'failed'; readonly failure: IntrospectionFailure };

type Fetched = Result<IntrospectionResponse, IntrospectionFailure>;

interface CachedResult {
  readonly response: IntrospectionResponse;
  readonly freshUntil: number;
}

const results = new ExpiringCache<CachedResult>(MAX_CACHED_RESULTS);
const inFlight = new Map<string, { readonly promise: Promise<Fetched>; readonly startedAt: number }>();

export function createLookup(
  settings: LookupSettings,
  introspect: Introspect,
): (token: string, now: number) => Promise<Lookup> {
  function shared(key: string, token: string, now: number): Promise<Fetched> {
    const current = inFlight.get(key);
    if (current && now - current.startedAt < settings.timeoutMs) {
      return withDeadline(current.promise, settings.timeoutMs, err({ reason: 'timeout' }));
    }
    const promise: Promise<Fetched> = introspect(token).finally(() => {
      if (inFlight.get(key)?.promise === promise) inFlight.delete(key);
    });
    if (inFlight.size < MAX_IN_FLIGHT) inFlight.set(key, { promise, startedAt: now });
    return promise;
  }

  return async function lookUpToken(token, now) {
    const key = await hashedKey(settings.scope, token);
    const cached = results.get(key, now);
    if (cached && now < cached.freshUntil)
      return { kind: 'answered', response: cached.response, stale: false };
    const fetched = await shared(key, token, now);
    if (fetched.ok) {
      const { freshUntil, keepUntil } = cacheLifetime(fetched.value, now, settings);
      results.set(key, { response: fetched.value, freshUntil }, keepUntil, now);
      return { kind: 'answered', response: fetched.value, stale: false };
    }
    // Only allow-cached keeps results past their freshness, so only it gets here with one.
    if (cached) return { kind: 'answered', response: cached.response, stale: true };
    return { kind: 'failed', failure: fetched.error };
  };
}

/** Until when a result is reused, and until when it is kept for use while the endpoint fails (ms). */
function cacheLifetime(
  response: IntrospectionResponse,
  now: number,
  { maxActiveMs, inactiveMs, staleMs }: LookupSettings,
): { readonly freshUntil: number; readonly keepUntil: number } {
  const expiresAt = typeof response.exp === 'number' ? response.exp * 1000 : Number.POSITIVE_INFINITY;
  if (!response.active || expiresAt <= now) {
    return { freshUntil: now + inactiveMs, keepUntil: now + inactiveMs };
  }
  const freshUntil = Math.min(now + maxActiveMs, expiresAt);
  return { freshUntil, keepUntil: Math.min(freshUntil + staleMs, expiresAt) };
}

async function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
