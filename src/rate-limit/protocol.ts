/**
 * The RPC contract between the data plane and the rate-limit zone (the RateLimitZone
 * Durable Object, one object per policy and key). It is versioned like the compiled
 * format: a zone of protocol N answers requests of N and N-1, and a request carries the
 * version it speaks, because during a rollout an old worker meets a new object and the
 * reverse. Times are milliseconds since the epoch, on the zone's clock.
 *
 * Protocol 2 replaces hit() with lease(), which lets one call stand for many requests
 * (issue 5's benchmark: each call costs the gateway CPU): it admits (strict mode) or
 * counts (async mode, `count` of them) the requests it is asked about, and may lease spare
 * admissions that the isolate then spends without asking
 * (docs/decisions/0011-rate-limit-leases.md).
 *
 * A request the zone cannot answer (a version it does not speak, a malformed request)
 * is refused by rejecting the call with an Error whose message starts `rate-limit zone:`;
 * a thrown error is the one answer every version of the caller understands.
 */

export const ZONE_PROTOCOL = 2;

/** What the zone accepts in a request; the policy schemas must stay within these. */
export const ZONE_BOUNDS = {
  /** Limits in one request. */
  maxLimits: 16,
  /** `requests` of one limit: the log keeps about this many timestamps per key. */
  maxRequests: 100_000,
  /** `windowMs` of one limit: one day. */
  maxWindowMs: 86_400_000,
  /** Requests one call asks to admit (`admit`) or counts (`count`). */
  maxHits: 100_000,
  /** Spare admissions one lease holds at most: the zone never grants more. */
  maxLeaseSize: 64,
  /** A lease's lifetime, at most. */
  maxLeaseMs: 1_000,
} as const;

/** One limit of a rate-limit policy: at most `requests` in any `windowMs`-long span (sliding). */
export interface LimitSpec {
  /** Stable name of the limit within its policy, e.g. `10/1s`; echoed in results and headers. */
  readonly id: string;
  readonly requests: number;
  readonly windowMs: number;
}

/** Protocol 1's hit(), still answered (the skew rule): one request. */
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
  /** Hits still allowed in the current window after this call. */
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

/**
 * Protocol 2's one call for a rate limit. In order: takes back `release`, admits up to
 * `admit` requests as far as every limit has room (strict mode), counts `count` requests
 * already forwarded whatever the limits say (async mode), and may lease up to `spare`
 * more admissions, which the isolate spends only within `lifetimeMs` of sending this
 * request. A lease is charged for its whole lifetime until its unused admissions come back.
 */
export interface LeaseRequest {
  readonly v: 2;
  readonly limits: readonly LimitSpec[];
  /** Requests to admit if there is room (0 to ZONE_BOUNDS.maxHits). */
  readonly admit: number;
  /** Requests to count, room or not (0 to ZONE_BOUNDS.maxHits). */
  readonly count: number;
  /** Spare admissions wanted (0 to ZONE_BOUNDS.maxLeaseSize). */
  readonly spare: number;
  /** How long the spares may be spent (1 to ZONE_BOUNDS.maxLeaseMs). */
  readonly lifetimeMs: number;
  /** Unused admissions of an earlier lease, given back before this request is decided. */
  readonly release?: LeaseRelease;
}

export interface LeaseRelease {
  /** The lease's id, as its LeaseResult named it. */
  readonly lease: string;
  /** 1 to ZONE_BOUNDS.maxLeaseSize; more than the lease has left returns what it has left. */
  readonly unused: number;
}

export interface LeaseResult {
  readonly v: 2;
  /** How many of `admit` were admitted. */
  readonly admitted: number;
  /** Whether every one of `admit` was, and every one of `count` (if any) was within every limit. */
  readonly allowed: boolean;
  /** Spare admissions granted: at most `spare`, ZONE_BOUNDS.maxLeaseSize and half of what is left. */
  readonly spare: number;
  /** The lease's id, for its release; empty when `spare` is 0. */
  readonly lease: string;
  /** Every limit after this call, the spares counted as used. */
  readonly limits: readonly LimitState[];
  /** When a refused request may try again, or the key has room again (epoch ms); 0 when allowed. */
  readonly retryAt: number;
}

/** A calendar allowance of a quota policy, in UTC. */
export type QuotaPeriod = 'hour' | 'day' | 'month';

/** Protocols 1 and 2 share this shape. */
export interface QuotaRequest {
  readonly v: 1 | 2;
  readonly period: QuotaPeriod;
  readonly allowance: number;
  /** `check`: how much is left, counting nothing. `add`: count one response. */
  readonly op: 'check' | 'add';
}

export interface QuotaResult {
  /** The request's version. */
  readonly v: 1 | 2;
  readonly used: number;
  readonly remaining: number;
  /** Start of the next period, epoch ms. */
  readonly resetAt: number;
}

/** What a policy calls; the data plane's client routes each call to the object for `zoneKey`. */
export interface RateLimitZone {
  hit(zoneKey: string, request: HitRequest): Promise<HitResult>;
  lease(zoneKey: string, request: LeaseRequest): Promise<LeaseResult>;
  quota(zoneKey: string, request: QuotaRequest): Promise<QuotaResult>;
}
