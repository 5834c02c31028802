/**
 * The rate-limit algorithm: an exact sliding log of what a key has been charged, with the
 * clock passed in (`now`), so it is a pure state machine the zone drives and the property
 * tests check against a naive reference.
 *
 * Every record is an interval [start, end]. A direct record (a request a lease call admits
 * or counts) is [at, at]. Each spare admission of a lease granted
 * at `at` is [at, at + lifetimeMs], because the isolate may spend it at any moment of that
 * span (docs/decisions/0011-rate-limit-leases.md). A limit `{requests, windowMs}` has room
 * for g more at `now` when the records reaching into (now - windowMs, now] number at most
 * `requests - g`: no fixed windows, so no 2x burst at a boundary. No record starts after
 * `now`, so a record reaches into that window exactly when it ends after now - windowMs:
 * the log keeps only the ends, sorted.
 *
 * Whether anything fits depends only on the latest `requests` ends, so the log keeps the
 * largest limit's `requests` ends, plus as many as leases may still give back (a release
 * must not uncover ends it no longer has), and drops those older than the largest window.
 */
import type { LimitSpec, LimitState } from './protocol.ts';

export type HitOp = 'consume' | 'count';

export interface HitDecision {
  /** consume: the hit was admitted. count: the key was within every limit, this hit included. */
  readonly allowed: boolean;
  /** How many records were added at `at` (and so must be persisted). */
  readonly recorded: number;
  readonly at: number;
  readonly limits: readonly LimitState[];
  /** When a consume would next be admitted (epoch ms); 0 when allowed. */
  readonly retryAt: number;
}

/** A lease call as the log takes it (LeaseRequest without the wire fields). */
export interface LeaseAsk {
  readonly admit: number;
  readonly count: number;
  readonly spare: number;
  readonly lifetimeMs: number;
  readonly release?: { readonly lease: string; readonly unused: number };
}

export interface LeaseDecision {
  /** The first `admitted` of `admit`; with `count`, the records added at `at`. */
  readonly admitted: number;
  /** Every admission asked for granted, and every request counted within every limit. */
  readonly allowed: boolean;
  /** Records added at `end`, the lease's. */
  readonly spare: number;
  /** The id the lease was granted under; empty when `spare` is 0. */
  readonly lease: string;
  readonly at: number;
  readonly end: number;
  /** Records the release took back, from the lease it named. */
  readonly released: number;
  readonly limits: readonly LimitState[];
  readonly retryAt: number;
}

/** Direct records as persisted: `count` of them, each at `end`. */
export interface StoredRecords {
  readonly end: number;
  readonly count: number;
}

/** A lease as persisted: `count` admissions not given back, each ending at `end`. */
export interface StoredLease {
  readonly id: string;
  readonly end: number;
  readonly count: number;
}

interface Lease {
  readonly end: number;
  count: number;
}

/** Compaction threshold for the dropped prefix, so trimming stays amortised O(1). */
const COMPACT_AFTER = 1_024;

export class SlidingLog {
  /** Ends of the records, ascending; entries before `#head` are dropped. */
  #ends: number[];
  #head = 0;
  /** When the newest record began: the floor of the next `at`, so time never steps back. */
  #latestStart = Number.NEGATIVE_INFINITY;
  /** Leases that may still give admissions back, by id, in the order of their ends. */
  readonly #leases = new Map<string, Lease>();
  /** Admissions those leases have not given back. */
  #returnable = 0;

  /** Direct records and leases in any order, e.g. rows read back from storage. */
  constructor(records: Iterable<StoredRecords> = [], leases: Iterable<StoredLease> = []) {
    const all: number[] = [];
    for (const { end, count } of records) for (let i = 0; i < count; i++) all.push(end);
    for (const { id, end, count } of [...leases].sort((a, b) => a.end - b.end)) {
      this.#leases.set(id, { end, count });
      this.#returnable += count;
      for (let i = 0; i < count; i++) all.push(end);
    }
    this.#ends = all.sort((a, b) => a - b);
  }

  /** Records currently kept. */
  get size(): number {
    return this.#ends.length - this.#head;
  }

  /** Protocol 1's hit: a lease call admitting (consume) or counting (count) one, leasing none. */
  hit(limits: readonly LimitSpec[], op: HitOp, now: number): HitDecision {
    const consume = op === 'consume' ? 1 : 0;
    const ask = { admit: consume, count: 1 - consume, spare: 0, lifetimeMs: 0 };
    const { admitted, allowed, at, limits: states, retryAt } = this.lease(limits, ask, '', now);
    return { allowed, recorded: admitted + ask.count, at, limits: states, retryAt };
  }

  /**
   * Gives back what `ask.release` returns; admits as many of `ask.admit` as every limit has
   * room for; counts `ask.count` requests already forwarded, whatever the limits say; and
   * grants under `id` at most `ask.spare` spares and at most half of the room left after
   * those, so near a limit requests reach the zone one by one and a burst still ends with
   * exactly `requests` admitted.
   */
  lease(limits: readonly LimitSpec[], ask: LeaseAsk, id: string, now: number): LeaseDecision {
    const at = this.#begin(limits, now);
    const released = ask.release ? this.#giveBack(ask.release.lease, ask.release.unused) : 0;
    const before = this.#counts(limits, at);
    const left = Math.min(...limits.map((limit, i) => limit.requests - before[i]!));
    const admitted = Math.max(0, Math.min(ask.admit, left));
    const direct = admitted + ask.count;
    const spare = Math.max(0, Math.min(ask.spare, Math.floor((left - direct) / 2)));
    const end = at + ask.lifetimeMs;
    this.#record(at, direct, at);
    if (spare > 0) {
      this.#record(end, spare, at);
      this.#leases.set(id, { end, count: spare });
      this.#returnable += spare;
    }
    const states = limits.map((limit, i) => this.#state(limit, before[i]! + direct + spare, at));
    // The trim keeps counts exact up to the limit, which is as far as `allowed` looks.
    const allowed = admitted === ask.admit && (ask.count === 0 || direct <= left);
    return {
      admitted,
      allowed,
      spare,
      lease: spare > 0 ? id : '',
      at,
      end,
      released,
      limits: states,
      retryAt: allowed ? 0 : latestReset(states),
    };
  }

  /** The time a call is decided at: `now`, or the newest start if the clock stepped back. */
  #begin(limits: readonly LimitSpec[], now: number): number {
    const at = Math.max(now, this.#latestStart);
    this.#trim(limits, at);
    return at;
  }

  #counts(limits: readonly LimitSpec[], at: number): number[] {
    return limits.map((limit) => this.#ends.length - this.#firstAfter(at - limit.windowMs));
  }

  #state(limit: LimitSpec, count: number, at: number): LimitState {
    const { id, requests, windowMs } = limit;
    const remaining = Math.max(0, requests - count);
    // Full: room returns when the `requests`-th latest end leaves the window. Otherwise
    // the window is fully reset once its latest end leaves (now, if it holds none).
    const resetAt =
      remaining === 0
        ? this.#ends[this.#ends.length - requests]! + windowMs
        : count > 0
          ? this.#ends[this.#ends.length - 1]! + windowMs
          : at;
    return { id, requests, windowMs, remaining, resetAt };
  }

  /** Adds `count` records ending at `end`, begun at `start`. */
  #record(end: number, count: number, start: number): void {
    if (count <= 0) return;
    this.#latestStart = Math.max(this.#latestStart, start);
    const ends = this.#ends;
    // Only the spares of live leases end later than a new record, so this walk is short.
    let index = ends.length;
    while (index > this.#head && ends[index - 1]! > end) index--;
    const later = ends.splice(index);
    for (let i = 0; i < count; i++) ends.push(end);
    for (const value of later) ends.push(value);
  }

  /** Takes back up to `unused` of lease `id`'s records; how many it took. */
  #giveBack(id: string, unused: number): number {
    const lease = this.#leases.get(id);
    if (!lease) return 0;
    const count = Math.min(unused, lease.count);
    lease.count -= count;
    this.#returnable -= count;
    if (lease.count === 0) this.#leases.delete(id);
    // Ends are values: any `count` records ending at the lease's end are as good as its own.
    // Those the trim already dropped are gone from the log, and stay gone.
    const from = this.#firstAfter(lease.end, true);
    const kept = Math.min(count, this.#firstAfter(lease.end) - from);
    this.#ends.splice(from, kept);
    return count;
  }

  /** Index of the first kept end later than `since`, or at it too if `orAt` (the length if none). */
  #firstAfter(since: number, orAt = false): number {
    let low = this.#head;
    let high = this.#ends.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const end = this.#ends[mid]!;
      if (end < since || (end === since && !orAt)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * Drops what no limit can see any more: ends past the largest window, and ends beyond the
   * largest count plus what leases may still give back. A lease whose records left the
   * largest window can give nothing back that matters, and is forgotten.
   */
  #trim(limits: readonly LimitSpec[], at: number): void {
    const largestWindow = Math.max(0, ...limits.map((limit) => limit.windowMs));
    const largestCount = Math.max(0, ...limits.map((limit) => limit.requests));
    for (const [id, lease] of this.#leases) {
      if (lease.end > at - largestWindow) break;
      this.#returnable -= lease.count;
      this.#leases.delete(id);
    }
    const outOfWindow = this.#firstAfter(at - largestWindow);
    const beyondCount = this.#ends.length - largestCount - this.#returnable;
    this.#head = Math.max(this.#head, outOfWindow, beyondCount);
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#ends.length) {
      this.#ends = this.#ends.slice(this.#head);
      this.#head = 0;
    }
  }
}

/** When every full limit has room again: the latest of their reset times. */
function latestReset(states: readonly LimitState[]): number {
  return Math.max(...states.filter((state) => state.remaining === 0).map((state) => state.resetAt));
}
