/**
 * A rate-limit policy's limits as the zone takes them, and what the zone's answer means
 * for the isolate: the most restrictive limit (the one the RateLimit field shows), and
 * whether the key is now over, or left with no room, until when.
 */
import { parseDuration } from '../../config/limit-fields.ts';
import type { OverLimit } from '../../rate-limit/over-limit.ts';
import type { HitResult, LimitSpec, LimitState } from '../../rate-limit/protocol.ts';
import type { QuotaPolicy, ServiceLimit } from '../../rate-limit/ratelimit-fields.ts';
import type { RateLimitOptions } from './schema.ts';

/** `{requests: 10, window: '1s'}` is the limit `10-per-1s`: its name in the zone and in the fields. */
export function limitSpecs(limits: RateLimitOptions['limits']): LimitSpec[] {
  return limits.map(({ requests, window }) => ({
    id: `${requests}-per-${window}`,
    requests,
    // The schema accepted the window, so it parses.
    windowMs: parseDuration(window)!,
  }));
}

export function quotaPolicies(specs: readonly LimitSpec[]): QuotaPolicy[] {
  return specs.map((spec) => ({ name: spec.id, quota: spec.requests, windowSeconds: spec.windowMs / 1_000 }));
}

function serviceLimit(state: LimitState): ServiceLimit {
  return { name: state.id, remaining: state.remaining, resetAt: state.resetAt };
}

/** The limit with the least left; of those, the one whose window ends last. */
export function mostRestrictive(states: readonly LimitState[]): ServiceLimit | undefined {
  let chosen: LimitState | undefined;
  for (const state of states) {
    if (
      !chosen ||
      state.remaining < chosen.remaining ||
      (state.remaining === chosen.remaining && state.resetAt > chosen.resetAt)
    ) {
      chosen = state;
    }
  }
  return chosen && serviceLimit(chosen);
}

/**
 * When the zone refused the key, or admitted it with nothing left in some limit, the
 * isolate can answer the key's next requests itself until the zone would have room.
 * Undefined only for a key admitted with room left.
 */
export function overLimitAfter(
  result: Pick<HitResult, 'allowed' | 'limits' | 'retryAt'>,
): OverLimit | undefined {
  const exhausted = result.limits.filter((state) => state.remaining <= 0);
  if (result.allowed && exhausted.length === 0) return undefined;
  const retryAt = Math.max(result.retryAt, ...exhausted.map((state) => state.resetAt));
  const limit = mostRestrictive(exhausted.length > 0 ? exhausted : result.limits);
  return { retryAt, ...(limit ? { limit: { ...limit, remaining: 0, resetAt: retryAt } } : {}) };
}
