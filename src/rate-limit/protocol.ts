/**
 * The RPC contract between the data plane and the rate-limit zone (the RateLimitZone
 * Durable Object, one object per policy and key). It is versioned like the compiled
 * format: a zone of protocol N answers requests of N and N-1, and a request carries the
 * version it speaks, because during a rollout an old worker meets a new object and the
 * reverse. Times are milliseconds since the epoch, on the zone's clock.
 *
 * A request the zone cannot answer (a version it does not speak, a malformed request)
 * is refused by rejecting the call with an Error whose message starts `rate-limit zone:`;
 * a thrown error is the one answer every version of the caller understands.
 */

export const ZONE_PROTOCOL = 1;

/** What the zone accepts in a request; the policy schemas must stay within these. */
export const ZONE_BOUNDS = {
  /** Limits in one HitRequest. */
  maxLimits: 16,
  /** `requests` of one limit: the log keeps this many timestamps per key. */
  maxRequests: 100_000,
  /** `windowMs` of one limit: one day. */
  maxWindowMs: 86_400_000,
} as const;

/** One limit of a rate-limit policy: at most `requests` in any `windowMs`-long span (sliding). */
export interface LimitSpec {
  /** Stable name of the limit within its policy, e.g. `10/1s`; echoed in results and headers. */
  readonly id: string;
  readonly requests: number;
  readonly windowMs: number;
}

export interface HitRequest {
  readonly v: 1;
  readonly limits: readonly LimitSpec[];
  /**
   * `consume` (strict mode): count the hit only if every limit has room, and say whether
   * it was allowed. `count` (async mode): the request was already forwarded, so count it
   * whatever the limits say, and report whether the key is now over.
   */
  readonly op: 'consume' | 'count';
}

export interface LimitState {
  readonly id: string;
  readonly requests: number;
  readonly windowMs: number;
  /** Hits still allowed in the current window after this one. */
  readonly remaining: number;
  /** When the window will have room again (for `remaining` 0) or be fully reset, epoch ms. */
  readonly resetAt: number;
}

export interface HitResult {
  readonly v: 1;
  /** consume: whether this hit was admitted. count: whether the key is within every limit. */
  readonly allowed: boolean;
  readonly limits: readonly LimitState[];
  /** When a refused key may try again (epoch ms); 0 when allowed. */
  readonly retryAt: number;
}

/** A calendar allowance of a quota policy, in UTC. */
export type QuotaPeriod = 'hour' | 'day' | 'month';

export interface QuotaRequest {
  readonly v: 1;
  readonly period: QuotaPeriod;
  readonly allowance: number;
  /** `check`: how much is left, counting nothing. `add`: count one response. */
  readonly op: 'check' | 'add';
}

export interface QuotaResult {
  readonly v: 1;
  readonly used: number;
  readonly remaining: number;
  /** Start of the next period, epoch ms. */
  readonly resetAt: number;
}

/** What a policy calls; the data plane's client routes each call to the object for `zoneKey`. */
export interface RateLimitZone {
  hit(zoneKey: string, request: HitRequest): Promise<HitResult>;
  quota(zoneKey: string, request: QuotaRequest): Promise<QuotaResult>;
}
