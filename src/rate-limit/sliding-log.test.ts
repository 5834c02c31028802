/**
 * The sliding log against a reference written the slow, obvious way (every record kept as
 * its interval, the rule of docs/decisions/0011-rate-limit-leases.md applied literally,
 * reset times found by search), over random schedules that favour bursts exactly at window
 * edges and mix consumes, counts, lease calls and releases; and the promise users rely on:
 * no window-long span ever holds more admissions actually used than the limit, whenever
 * within its lifetime each leased admission is spent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LimitSpec } from './protocol.ts';
import { type HitOp, type LeaseAsk, SlidingLog } from './sliding-log.ts';

interface Interval {
  readonly start: number;
  readonly end: number;
  /** The lease it was granted in, if it is a spare. */
  readonly lease?: string;
}

/** The naive model: every record as its interval, answers found by scanning and searching. */
class ReferenceLog {
  readonly records: Interval[] = [];

  hit(limits: readonly LimitSpec[], op: HitOp, now: number) {
    const consume = op === 'consume' ? 1 : 0;
    const ask = { admit: consume, count: 1 - consume, spare: 0, lifetimeMs: 0 };
    const { allowed, limits: states, retryAt } = this.lease(limits, ask, '', now);
    return { allowed, limits: states, retryAt };
  }

  /** The rule: g fit at `now` when, for every limit, records reaching into (now - W, now + L] + g <= requests. */
  lease(limits: readonly LimitSpec[], ask: LeaseAsk, id: string, now: number) {
    if (ask.release) this.#release(ask.release.lease, ask.release.unused);
    const left = Math.min(
      ...limits.map((limit) => limit.requests - this.#reaching(limit, now, ask.lifetimeMs)),
    );
    const admitted = Math.max(0, Math.min(ask.admit, left));
    const spare = Math.max(0, Math.min(ask.spare, Math.floor((left - admitted - ask.count) / 2)));
    this.#add(now, now, admitted + ask.count);
    this.#add(now, now + ask.lifetimeMs, spare, id);
    const allowed = admitted === ask.admit && (ask.count === 0 || admitted + ask.count <= left);
    return { admitted, spare, lease: spare > 0 ? id : '', ...this.#answer(limits, now, { allowed }) };
  }

  #answer(limits: readonly LimitSpec[], now: number, { allowed }: { allowed: boolean }) {
    const states = limits.map((limit) => {
      const count = this.#reaching(limit, now, 0);
      const remaining = Math.max(0, limit.requests - count);
      const ends = this.records.filter((r) => r.end > now - limit.windowMs).map((r) => r.end);
      const resetAt =
        remaining === 0
          ? this.#firstRoom([limit], now)
          : ends.length === 0
            ? now
            : Math.max(...ends) + limit.windowMs;
      return { id: limit.id, requests: limit.requests, windowMs: limit.windowMs, remaining, resetAt };
    });
    const full = limits.filter((_, i) => states[i]!.remaining === 0);
    return { allowed, limits: states, retryAt: allowed ? 0 : this.#firstRoom(full, now) };
  }

  #add(start: number, end: number, count: number, lease?: string): void {
    for (let i = 0; i < count; i++) this.records.push({ start, end, ...(lease ? { lease } : {}) });
  }

  #release(lease: string, unused: number): void {
    for (let i = 0; i < unused; i++) {
      const index = this.records.findIndex((r) => r.lease === lease);
      if (index >= 0) this.records.splice(index, 1);
    }
  }

  /** Records whose interval intersects (now - windowMs, now + lifetimeMs]. */
  #reaching(limit: LimitSpec, now: number, lifetimeMs: number): number {
    return this.records.filter((r) => r.end > now - limit.windowMs && r.start <= now + lifetimeMs).length;
  }

  /** The earliest moment from `now` on at which every one of `limits` has room for a consume. */
  #firstRoom(limits: readonly LimitSpec[], now: number): number {
    const candidates = [now, ...limits.flatMap((limit) => this.records.map((r) => r.end + limit.windowMs))];
    const sorted = candidates.filter((at) => at >= now).sort((a, b) => a - b);
    return sorted.find((at) => limits.every((limit) => this.#reaching(limit, at, 0) < limit.requests))!;
  }
}

const limitSets = fc.uniqueArray(
  fc.record({ requests: fc.integer({ min: 1, max: 8 }), windowMs: fc.integer({ min: 1, max: 100 }) }),
  { minLength: 1, maxLength: 3, selector: (limit) => limit.windowMs },
);

/** Gaps between calls: bursts (0), and steps to just before, at and just after each window edge. */
function gaps(limits: readonly { windowMs: number }[]) {
  const edges = limits.flatMap(({ windowMs }) => [windowMs - 1, windowMs, windowMs + 1]);
  return fc.oneof(fc.constant(0), fc.constantFrom(...edges), fc.integer({ min: 0, max: 250 }));
}

function schedules(limits: readonly { windowMs: number }[], ops: fc.Arbitrary<HitOp>) {
  return fc.array(fc.record({ gap: gaps(limits), op: ops }), { minLength: 1, maxLength: 120 });
}

function withIds(limits: readonly { requests: number; windowMs: number }[]): LimitSpec[] {
  return limits.map((limit) => ({ ...limit, id: `${limit.requests}/${limit.windowMs}ms` }));
}

/** Runs `steps` from an arbitrary epoch time, handing each hit and its time to `check`. */
function play<S extends { readonly gap: number }>(
  steps: readonly S[],
  hit: (step: S, now: number) => void,
): void {
  let now = 1_700_000_000_000;
  for (const step of steps) {
    now += step.gap;
    hit(step, now);
  }
}

/** No window-long span holds more of `times` than its limit (spans ending at a time are the fullest). */
function expectNoSpanOverLimits(limits: readonly LimitSpec[], times: readonly number[]): void {
  for (const { requests, windowMs } of limits) {
    for (const end of times) {
      expect(times.filter((at) => at > end - windowMs && at <= end).length).toBeLessThanOrEqual(requests);
    }
  }
}

const specsAndSchedules = (ops: fc.Arbitrary<HitOp>) =>
  limitSets.chain((limits) => fc.tuple(fc.constant(withIds(limits)), schedules(limits, ops)));

describe('SlidingLog', () => {
  it('decides every hit as the reference sliding log does', () => {
    fc.assert(
      fc.property(specsAndSchedules(fc.constantFrom<HitOp>('consume', 'count')), ([limits, steps]) => {
        const log = new SlidingLog();
        const reference = new ReferenceLog();
        play(steps, ({ op }, now) => {
          const { allowed, limits: states, retryAt } = log.hit(limits, op, now);
          expect({ allowed, limits: states, retryAt }).toEqual(reference.hit(limits, op, now));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('never admits more than a limit within any window-long span', () => {
    fc.assert(
      fc.property(specsAndSchedules(fc.constant<HitOp>('consume')), ([limits, steps]) => {
        const log = new SlidingLog();
        const admitted: number[] = [];
        play(steps, ({ op }, now) => {
          if (log.hit(limits, op, now).allowed) admitted.push(now);
        });
        expectNoSpanOverLimits(limits, admitted);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps no more hits than the largest limit needs, however many are counted', () => {
    fc.assert(
      fc.property(specsAndSchedules(fc.constant<HitOp>('count')), ([limits, steps]) => {
        const log = new SlidingLog();
        const largest = Math.max(...limits.map((limit) => limit.requests));
        play(steps, ({ op }, now) => {
          log.hit(limits, op, now);
          expect(log.size).toBeLessThanOrEqual(largest + 1);
        });
      }),
    );
  });
});

type Call =
  | { readonly kind: 'consume' }
  | { readonly kind: 'count' }
  | {
      readonly kind: 'lease';
      readonly admit: number;
      readonly count: number;
      readonly spare: number;
      readonly lifetimeMs: number;
      /** Releases `unused` of the `pick`-th lease granted so far (modulo their number), if any. */
      readonly release: { readonly pick: number; readonly unused: number } | null;
    };

const lifetimes = (limits: readonly { windowMs: number }[]) =>
  fc.oneof(fc.constant(0), gaps(limits), fc.integer({ min: 0, max: 60 }));

function calls(limits: readonly { windowMs: number }[]): fc.Arbitrary<Call> {
  return fc.oneof(
    fc.constant<Call>({ kind: 'consume' }),
    fc.constant<Call>({ kind: 'count' }),
    fc.record({
      kind: fc.constant('lease' as const),
      admit: fc.integer({ min: 0, max: 5 }),
      count: fc.integer({ min: 0, max: 3 }),
      spare: fc.integer({ min: 0, max: 6 }),
      lifetimeMs: lifetimes(limits),
      release: fc.option(fc.record({ pick: fc.nat(), unused: fc.integer({ min: 1, max: 6 }) })),
    }),
  );
}

const mixedSchedules = limitSets.chain((limits) =>
  fc.tuple(
    fc.constant(withIds(limits)),
    fc.array(fc.record({ gap: gaps(limits), call: calls(limits) }), { minLength: 1, maxLength: 100 }),
  ),
);

/**
 * An isolate's use of each lease call: it spends `spent` of the spares granted, each at
 * an offset within the lifetime (in thousandths of it, so 0 and the last millisecond occur),
 * and gives the rest back `releaseAfter` ms after its last use, sooner or later than expiry.
 */
const usedLeases = limitSets.chain((limits) =>
  fc.tuple(
    fc.constant(withIds(limits)),
    fc.array(
      fc.record({
        gap: gaps(limits),
        admit: fc.integer({ min: 0, max: 5 }),
        spare: fc.integer({ min: 0, max: 6 }),
        lifetimeMs: lifetimes(limits),
        spent: fc.array(fc.constantFrom(0, 1_000, 500, 999, 1, 250), { maxLength: 6 }),
        releaseAfter: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 150 })),
      }),
      { minLength: 1, maxLength: 100 },
    ),
  ),
);

describe('SlidingLog with leases', () => {
  it('decides consumes, counts, lease calls and releases as the reference does', () => {
    fc.assert(
      fc.property(mixedSchedules, ([limits, steps]) => {
        const log = new SlidingLog();
        const reference = new ReferenceLog();
        const granted: string[] = [];
        let calls = 0;
        play(steps, ({ call }, now) => {
          if (call.kind !== 'lease') {
            const { allowed, limits: states, retryAt } = log.hit(limits, call.kind, now);
            expect({ allowed, limits: states, retryAt }).toEqual(reference.hit(limits, call.kind, now));
            return;
          }
          const id = `lease-${calls++}`;
          const { admit, count, spare, lifetimeMs, release } = call;
          const ask: LeaseAsk =
            release && granted.length > 0
              ? {
                  admit,
                  count,
                  spare,
                  lifetimeMs,
                  release: { lease: granted[release.pick % granted.length]!, unused: release.unused },
                }
              : { admit, count, spare, lifetimeMs };
          const ours = log.lease(limits, ask, id, now);
          const { admitted, allowed, spare: leased, lease, limits: states, retryAt } = ours;
          expect({ admitted, allowed, spare: leased, lease, limits: states, retryAt }).toEqual(
            reference.lease(limits, ask, id, now),
          );
          if (leased > 0) granted.push(id);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('never lets a window-long span hold more admissions actually spent than the limit', () => {
    fc.assert(
      fc.property(usedLeases, ([limits, steps]) => {
        const log = new SlidingLog();
        const spentAt: number[] = [];
        let outstanding: { lease: string; unused: number; releaseAt: number }[] = [];
        let calls = 0;
        play(steps, (step, now) => {
          for (const due of outstanding.filter((lease) => lease.releaseAt <= now)) {
            const release = { lease: due.lease, unused: due.unused };
            log.lease(
              limits,
              { admit: 0, count: 0, spare: 0, lifetimeMs: 0, release },
              `lease-${calls++}`,
              now,
            );
          }
          outstanding = outstanding.filter((lease) => lease.releaseAt > now);
          const id = `lease-${calls++}`;
          const { admitted, spare } = log.lease(limits, { ...step, count: 0 }, id, now);
          for (let i = 0; i < admitted; i++) spentAt.push(now);
          const uses = step.spent
            .slice(0, spare)
            .map((part) => now + Math.floor((part * step.lifetimeMs) / 1_000));
          spentAt.push(...uses);
          const unused = spare - uses.length;
          if (unused > 0)
            outstanding.push({ lease: id, unused, releaseAt: Math.max(now, ...uses) + step.releaseAfter });
        });
        expectNoSpanOverLimits(limits, spentAt);
      }),
      { numRuns: 500 },
    );
  });
});

describe('leases', () => {
  const limits = [{ id: '100/1m', requests: 100, windowMs: 60_000 }];
  const t = 1_700_000_000_000;
  const ask = (admit: number, spare: number): LeaseAsk => ({ admit, count: 0, spare, lifetimeMs: 100 });

  it('grants at most half of what is left, so calls one by one still end at exactly the limit', () => {
    const log = new SlidingLog();
    let admissions = 0;
    const grants: number[] = [];
    for (let call = 0; call < 40; call++) {
      const { admitted, spare } = log.lease(limits, ask(1, 32), `lease-${call}`, t);
      admissions += admitted + spare;
      grants.push(spare);
    }
    expect(admissions).toBe(100);
    // Each call admits one and leases min(32, half of the rest): 33, 33, 17, 9, 4, 2, then one by one.
    expect(grants.slice(0, 8)).toEqual([32, 32, 16, 8, 3, 1, 0, 0]);
  });

  it('admits as many waiting requests as fit, and leases nothing when they use up the room', () => {
    const log = new SlidingLog();
    expect(log.lease(limits, ask(30, 32), 'a', t)).toMatchObject({ admitted: 30, allowed: true, spare: 32 });
    const refused = log.lease(limits, ask(50, 32), 'b', t + 10);
    expect(refused).toMatchObject({ admitted: 38, allowed: false, spare: 0, lease: '' });
    // Room returns when the oldest of the 100 records, the first 30 admissions, leaves.
    expect(refused.retryAt).toBe(t + 60_000);
    // The window empties only a minute after the lease's spares end, not when they began.
    expect(refused.limits[0]).toMatchObject({ remaining: 0, resetAt: t + 60_000 });
    expect(log.lease(limits, ask(0, 0), 'c', t + 60_099).limits[0]).toMatchObject({
      remaining: 68,
      resetAt: t + 100 + 60_000,
    });
  });

  it('counts forwarded requests whatever the limits say, and leases only from what they left', () => {
    const log = new SlidingLog();
    const counted = (count: number, spare: number) => ({ admit: 0, count, spare, lifetimeMs: 100 });
    expect(log.lease(limits, counted(60, 32), 'a', t)).toMatchObject({ allowed: true, spare: 20 });
    const over = log.lease(limits, counted(30, 32), 'b', t);
    expect(over).toMatchObject({ allowed: false, spare: 0, limits: [{ remaining: 0 }] });
    expect(over.retryAt).toBe(t + 60_000);
  });

  it('takes a release back before deciding the call that carries it, and no more than the lease had', () => {
    const log = new SlidingLog();
    log.lease(limits, ask(0, 32), 'a', t);
    log.lease(limits, ask(68, 0), 'b', t);
    const giveBack = { lease: 'a', unused: 50 };
    const after = log.lease(limits, { ...ask(40, 0), release: giveBack }, 'c', t + 100);
    expect(after).toMatchObject({ released: 32, admitted: 32, allowed: false });
    expect(log.lease(limits, { ...ask(1, 0), release: giveBack }, 'd', t + 100)).toMatchObject({
      released: 0,
      admitted: 0,
    });
  });

  it('reloads leases from storage and still takes their release', () => {
    const log = new SlidingLog([{ end: t, count: 2 }], [{ id: 'a', end: t + 100, count: 8 }]);
    const full = [{ id: '10/1m', requests: 10, windowMs: 60_000 }];
    expect(log.lease(full, ask(1, 0), 'b', t + 50)).toMatchObject({ admitted: 0 });
    const released = log.lease(full, { ...ask(3, 0), release: { lease: 'a', unused: 5 } }, 'c', t + 150);
    expect(released).toMatchObject({ released: 5, admitted: 3 });
  });
});

describe('a burst at the end of one window and the start of the next', () => {
  const limits = [{ id: '100/1m', requests: 100, windowMs: 60_000 }];
  const burst = (log: SlidingLog, now: number) =>
    Array.from({ length: 100 }, () => log.hit(limits, 'consume', now)).filter((d) => d.allowed).length;

  it('admits the limit once, not twice, across the edge of a fixed minute', () => {
    const log = new SlidingLog();
    const minute = 1_700_000_040_000;
    expect(burst(log, minute - 1)).toBe(100);
    expect(burst(log, minute)).toBe(0);
    expect(burst(log, minute + 59_998)).toBe(0);
  });

  it('admits again exactly when the first burst leaves the window, and says when', () => {
    const log = new SlidingLog();
    const first = 1_700_000_039_999;
    burst(log, first);
    const refused = log.hit(limits, 'consume', first + 1);
    expect(refused).toMatchObject({ allowed: false, retryAt: first + 60_000 });
    expect(refused.limits[0]).toMatchObject({ remaining: 0, resetAt: first + 60_000 });
    expect(burst(log, first + 59_999)).toBe(0);
    expect(burst(log, first + 60_000)).toBe(100);
  });
});

describe('several limits at once', () => {
  const limits = [
    { id: '3/1s', requests: 3, windowMs: 1_000 },
    { id: '5/10s', requests: 5, windowMs: 10_000 },
  ];

  it('refuses on whichever limit is full and retries when every full one has room', () => {
    const log = new SlidingLog();
    const t = 1_700_000_000_000;
    const allowedAt = (now: number, tries: number) =>
      Array.from({ length: tries }, () => log.hit(limits, 'consume', now)).filter((d) => d.allowed).length;
    expect(allowedAt(t, 10)).toBe(3);
    const perSecond = log.hit(limits, 'consume', t + 500);
    expect(perSecond).toMatchObject({ allowed: false, retryAt: t + 1_000 });
    expect(perSecond.limits.map((s) => s.remaining)).toEqual([0, 2]);
    expect(allowedAt(t + 1_000, 10)).toBe(2);
    const perTenSeconds = log.hit(limits, 'consume', t + 2_500);
    expect(perTenSeconds.limits.map((s) => s.remaining)).toEqual([3, 0]);
    expect(perTenSeconds).toMatchObject({ allowed: false, retryAt: t + 10_000 });
    expect(allowedAt(t + 10_000, 10)).toBe(3);
  });

  it('counts every hit of async mode and reports the key over once it passes a limit', () => {
    const log = new SlidingLog();
    const t = 1_700_000_000_000;
    const answers = Array.from({ length: 4 }, () => log.hit(limits, 'count', t));
    expect(answers.map((a) => a.allowed)).toEqual([true, true, true, false]);
    expect(answers[2]!.limits[0]).toMatchObject({ remaining: 0, resetAt: t + 1_000 });
    expect(answers[3]!.retryAt).toBe(t + 1_000);
    expect(log.hit(limits, 'consume', t + 1_000).allowed).toBe(true);
    expect(log.hit(limits, 'consume', t + 1_000).allowed).toBe(false);
  });
});

it('charges a hit whose clock stepped back at the newest time, so the window never reopens early', () => {
  const limits = [{ id: '1/1s', requests: 1, windowMs: 1_000 }];
  const log = new SlidingLog();
  expect(log.hit(limits, 'count', 5_000)).toMatchObject({ allowed: true, at: 5_000 });
  expect(log.hit(limits, 'consume', 3_000)).toMatchObject({ allowed: false, at: 5_000, retryAt: 6_000 });
});

it('reloads from stored hits in any order', () => {
  const limits = [{ id: '2/1s', requests: 2, windowMs: 1_000 }];
  const log = new SlidingLog([
    { end: 900, count: 1 },
    { end: 100, count: 1 },
  ]);
  expect(log.hit(limits, 'consume', 1_050)).toMatchObject({ allowed: false, retryAt: 1_100 });
  expect(log.hit(limits, 'consume', 1_100).allowed).toBe(true);
});
