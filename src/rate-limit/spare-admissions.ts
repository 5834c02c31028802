/**
 * The isolate's spare admissions, per key (docs/decisions/0011-rate-limit-leases.md): what
 * lease() calls granted beyond the requests they decided, which later requests of this
 * isolate spend without a zone call, within SPEND_WITHIN_MS of sending the call that
 * brought them. A request that finds none makes its own call. No request waits for
 * another's call: workerd resumes a request woken through another request's promise in
 * that other request's context, where its own I/O fails.
 *
 * Spares are asked for as many as the key's recent requests would spend in half the
 * spending time (at most ZONE_BOUNDS.maxLeaseSize), by one call per key at a time, and not
 * while the zone answers slowly, so few are ever left unspent. A request that spends past
 * half of the newest grant asks for the next one ahead, so a busy key rarely runs dry.
 * Spares left when their time is up go back with the key's next call, or in a call of
 * their own. Isolate memory: one small entry per key asked lately, at most MAX_KEYS (idle
 * ones are forgotten first; past that, a key gets an entry for one request).
 */
import { type LeaseRelease, type LeaseRequest, ZONE_BOUNDS } from './protocol.ts';

/** How long the zone charges a lease's spares for. */
export const LEASE_LIFETIME_MS = 100;
/**
 * How long after sending its call the isolate spends the spares: less than the lifetime,
 * because a Worker's clock moves only with I/O and may lag behind by the CPU time since.
 */
const SPEND_WITHIN_MS = 80;
/** Spares are asked for only while the key's last call was answered within this. */
const QUICK_ANSWER_MS = 40;
/**
 * The least time a rate is measured over: requests arriving all at once are a burst whose
 * requests already make their own calls, not a rate that spares would serve.
 */
const MIN_SAMPLE_MS = 5;
/**
 * Spares are asked for only while fewer of the key's calls than this are in flight: more
 * mean the zone is queueing them, and spares it grants would be charged while the requests
 * behind them are refused, then expire before those learn of them.
 */
const MAX_CALLS_IN_FLIGHT = 4;
const MAX_KEYS = 10_000;
/** Entries looked at for idle ones to forget when the map is full. */
const EVICTION_SCAN = 16;

/** A lease() call's own fields; the policy adds the protocol version and the limits. */
export type SpareAsk = Omit<LeaseRequest, 'v' | 'limits'>;

/** A call about to be made: what to ask, and what its answer must be matched with. */
export interface Ticket {
  readonly ask: SpareAsk;
  readonly sentAt: number;
}

/** What a lease() call granted, with what its answer says for the requests that spend it. */
export interface Grant<S> {
  readonly lease: string;
  readonly spare: number;
  readonly shared: S;
}

export interface Pool<S> {
  readonly lease: string;
  readonly granted: number;
  spares: number;
  /** Local time from which none is spent. */
  readonly spendUntil: number;
  readonly shared: S;
}

/** One key's spares, and the figures its next grant is sized by. */
export class KeySpares<S> {
  /** Oldest first; emptied and expired pools leave when a call is asked. */
  #pools: Pool<S>[] = [];
  /** Whether a call asking for spares is in flight: one at a time per key. */
  #asking = false;
  /** The key's calls in flight from this isolate. */
  #inFlight = 0;
  /** Requests since `#sampleFrom`: the rate the next grant is sized by. */
  #arrivals = 0;
  #sampleFrom = Number.NEGATIVE_INFINITY;
  #answeredInMs = 0;

  get idle(): boolean {
    return this.#inFlight === 0 && this.#pools.every((pool) => pool.spares === 0);
  }

  /** Spends a young spare: returns what its call said, or undefined when there is none. */
  spend(now: number): S | undefined {
    this.#arrivals++;
    for (const pool of this.#pools) {
      if (pool.spares > 0 && now < pool.spendUntil) {
        pool.spares--;
        return pool.shared;
      }
    }
    return undefined;
  }

  /**
   * A call for `admit` requests to admit and `count` to count: adds the spares wanted, if
   * no call of the key is asking already, and the unspent spares of a lease whose time is
   * up. Hand its answer to `answered`.
   */
  ask(now: number, admit: number, count: number): Ticket {
    const release = this.#unspent(now);
    const spare = this.#asking ? 0 : this.#wanted(now);
    // A grant starts a new sample of the rate; so does a stale one.
    if (spare > 0 || now - this.#sampleFrom > SPEND_WITHIN_MS) {
      this.#arrivals = 0;
      this.#sampleFrom = now;
    }
    this.#asking ||= spare > 0;
    this.#inFlight++;
    const ask = { admit, count, spare, lifetimeMs: LEASE_LIFETIME_MS, ...(release ? { release } : {}) };
    return { ask, sentAt: now };
  }

  /** A call asking for spares ahead, when the newest grant is half spent and none is asking. */
  refill(now: number): Ticket | undefined {
    const newest = this.#pools.at(-1);
    if (this.#asking || !newest || newest.spares * 2 > newest.granted || now >= newest.spendUntil) {
      return undefined;
    }
    return this.#wanted(now) > 0 ? this.ask(now, 0, 0) : undefined;
  }

  /** Takes in a call's answer (`grant` undefined when it failed); returns the new pool, if any. */
  answered(ticket: Ticket, grant: Grant<S> | undefined, now: number): Pool<S> | undefined {
    this.#answeredInMs = now - ticket.sentAt;
    this.#inFlight--;
    if (ticket.ask.spare > 0) this.#asking = false;
    if (!grant || grant.spare === 0) return undefined;
    const pool = {
      lease: grant.lease,
      granted: grant.spare,
      spares: grant.spare,
      spendUntil: ticket.sentAt + SPEND_WITHIN_MS,
      shared: grant.shared,
    };
    this.#pools.push(pool);
    return pool;
  }

  /** What `pool` has not spent, now that its time is up, unless a call took it along already. */
  takeBack(pool: Pool<S>): LeaseRelease | undefined {
    if (pool.spares === 0) return undefined;
    const unused = pool.spares;
    pool.spares = 0;
    return { lease: pool.lease, unused };
  }

  /** Clears out spent and expired pools; the first expired one with spares left gives them back. */
  #unspent(now: number): LeaseRelease | undefined {
    let release: LeaseRelease | undefined;
    this.#pools = this.#pools.filter((pool) => {
      if (pool.spares > 0 && now < pool.spendUntil) return true;
      release ??= this.takeBack(pool);
      return pool.spares > 0;
    });
    return release;
  }

  /**
   * Spares for the requests the key would see in half the spending time at the rate it had
   * lately; none while the zone answers slowly or queues the key's calls, when they could
   * expire unspent, and none before the rate has been seen for MIN_SAMPLE_MS.
   */
  #wanted(now: number): number {
    const elapsed = now - this.#sampleFrom;
    const slow = this.#answeredInMs > QUICK_ANSWER_MS || this.#inFlight >= MAX_CALLS_IN_FLIGHT;
    if (slow || elapsed < MIN_SAMPLE_MS || elapsed > SPEND_WITHIN_MS) return 0;
    const expected = (this.#arrivals * SPEND_WITHIN_MS) / 2 / elapsed;
    return Math.min(ZONE_BOUNDS.maxLeaseSize, Math.floor(expected));
  }
}

/** Every key's spares of the isolate, bounded. */
export class SpareAdmissions<S> {
  readonly #keys = new Map<string, KeySpares<S>>();

  of(key: string): KeySpares<S> {
    const known = this.#keys.get(key);
    if (known) return known;
    const spares = new KeySpares<S>();
    if (this.#keys.size >= MAX_KEYS) this.#forgetIdle();
    if (this.#keys.size < MAX_KEYS) this.#keys.set(key, spares);
    return spares;
  }

  /** Forgets the oldest keys with nothing in flight or left to spend, a few at a time. */
  #forgetIdle(): void {
    let looked = 0;
    for (const [key, spares] of this.#keys) {
      if (looked++ >= EVICTION_SCAN) return;
      if (spares.idle) this.#keys.delete(key);
    }
  }
}

/** Sleeps until `pool`'s time is up, then sends back what it has not spent through `call`. */
export async function giveBackWhenDue<S>(
  spares: KeySpares<S>,
  pool: Pool<S>,
  now: () => number,
  call: (ask: SpareAsk) => Promise<unknown>,
): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, pool.spendUntil - now())));
  const release = spares.takeBack(pool);
  if (release) await call({ admit: 0, count: 0, spare: 0, lifetimeMs: LEASE_LIFETIME_MS, release });
}
