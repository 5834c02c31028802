/**
 * The rate-limit algorithm: an exact sliding log of the hits a key has been charged,
 * with the clock passed in (`now`), so it is a pure state machine the zone drives and
 * the property tests check against a naive reference.
 *
 * A limit `{requests, windowMs}` holds at `now` when the window (now - windowMs, now]
 * contains fewer than `requests` hits: no fixed windows, so no 2x burst at a boundary.
 * Whether a hit fits depends only on the `requests` newest hits, so the log keeps at most
 * the largest limit's `requests` timestamps (the policy schema caps it at 100,000 per
 * window: under 1 MB per key) and drops those older than the largest window.
 */
import type { LimitSpec, LimitState } from './protocol.ts';

export type HitOp = 'consume' | 'count';

export interface HitDecision {
  /** consume: the hit was admitted. count: the key was within every limit, this hit included. */
  readonly allowed: boolean;
  /** Whether the hit was added to the log (and so must be persisted), at `at`. */
  readonly recorded: boolean;
  readonly at: number;
  readonly limits: readonly LimitState[];
  /** When a consume would next be admitted (epoch ms); 0 when allowed. */
  readonly retryAt: number;
}

/** Compaction threshold for the dropped prefix, so trimming stays amortised O(1). */
const COMPACT_AFTER = 1_024;

export class SlidingLog {
  /** Charged hits, oldest first; entries before `#head` are dropped. */
  #times: number[];
  #head = 0;

  /** `times` in any order, e.g. rows read back from storage. */
  constructor(times: Iterable<number> = []) {
    this.#times = [...times].sort((a, b) => a - b);
  }

  /** Hits currently kept, oldest first. */
  get size(): number {
    return this.#times.length - this.#head;
  }

  /**
   * Decides one hit at `now`. A clock that steps back is read as the newest hit's time,
   * so the log stays ordered and a hit is never charged into the past.
   */
  hit(limits: readonly LimitSpec[], op: HitOp, now: number): HitDecision {
    const at = Math.max(now, this.#newest() ?? now);
    this.#trim(limits, at);
    const before = limits.map((limit) => this.#countSince(at - limit.windowMs));
    const admit = op === 'count' || limits.every((limit, i) => before[i]! < limit.requests);
    if (admit) this.#times.push(at);
    const states = limits.map((limit, i) => this.#state(limit, before[i]! + (admit ? 1 : 0), at));
    const allowed = op === 'consume' ? admit : limits.every((limit, i) => before[i]! + 1 <= limit.requests);
    const retryAt = allowed ? 0 : Math.max(...states.filter((s) => s.remaining === 0).map((s) => s.resetAt));
    return { allowed, recorded: admit, at, limits: states, retryAt };
  }

  #state(limit: LimitSpec, count: number, at: number): LimitState {
    const { id, requests, windowMs } = limit;
    const remaining = Math.max(0, requests - count);
    // Full: room returns when the `requests`-th newest hit leaves the window. Otherwise
    // the window is fully reset once its newest hit leaves (now, if it holds none).
    const resetAt =
      remaining === 0
        ? this.#times[this.#times.length - requests]! + windowMs
        : count > 0
          ? this.#newest()! + windowMs
          : at;
    return { id, requests, windowMs, remaining, resetAt };
  }

  /** Hits strictly after `since`, i.e. inside a window ending at the newest time. */
  #countSince(since: number): number {
    let low = this.#head;
    let high = this.#times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#times[mid]! <= since) low = mid + 1;
      else high = mid;
    }
    return this.#times.length - low;
  }

  /** Drops what no limit can see any more: past the largest window, or beyond the largest count. */
  #trim(limits: readonly LimitSpec[], at: number): void {
    const largestWindow = Math.max(0, ...limits.map((limit) => limit.windowMs));
    const largestCount = Math.max(0, ...limits.map((limit) => limit.requests));
    const outOfWindow = this.#times.length - this.#countSince(at - largestWindow);
    const beyondCount = this.#times.length - largestCount;
    this.#head = Math.max(this.#head, outOfWindow, beyondCount);
    if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }

  #newest(): number | undefined {
    return this.#times.length > this.#head ? this.#times[this.#times.length - 1] : undefined;
  }
}
