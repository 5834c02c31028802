/**
 * The sliding log against a reference written the slow, obvious way (every charged hit
 * kept, windows scanned, reset times found by search), over random schedules that
 * favour bursts exactly at window edges; and the promise users rely on: no window-long
 * span ever holds more admitted hits than the limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LimitSpec } from './protocol.ts';
import { type HitOp, SlidingLog } from './sliding-log.ts';

interface Step {
  readonly gap: number;
  readonly op: HitOp;
}

/** The naive model: all charged hits, answers found by scanning and searching. */
class ReferenceLog {
  readonly charged: number[] = [];

  hit(limits: readonly LimitSpec[], op: HitOp, now: number) {
    const before = limits.map((limit) => this.#inWindow(limit, now));
    const admit = op === 'count' || limits.every((limit, i) => before[i]! < limit.requests);
    if (admit) this.charged.push(now);
    const allowed = op === 'consume' ? admit : limits.every((limit, i) => before[i]! + 1 <= limit.requests);
    const states = limits.map((limit) => {
      const count = this.#inWindow(limit, now);
      const remaining = Math.max(0, limit.requests - count);
      const newest = this.charged.filter((at) => at > now - limit.windowMs).at(-1);
      const resetAt =
        remaining === 0
          ? this.#firstRoom([limit], now)
          : newest === undefined
            ? now
            : newest + limit.windowMs;
      return { id: limit.id, requests: limit.requests, windowMs: limit.windowMs, remaining, resetAt };
    });
    const full = limits.filter((_, i) => states[i]!.remaining === 0);
    return { allowed, limits: states, retryAt: allowed ? 0 : this.#firstRoom(full, now) };
  }

  #inWindow(limit: LimitSpec, now: number): number {
    return this.charged.filter((at) => at > now - limit.windowMs && at <= now).length;
  }

  /** The earliest moment from `now` on at which every one of `limits` has room. */
  #firstRoom(limits: readonly LimitSpec[], now: number): number {
    const candidates = [now, ...limits.flatMap((limit) => this.charged.map((at) => at + limit.windowMs))];
    const sorted = candidates.filter((at) => at >= now).sort((a, b) => a - b);
    return sorted.find((at) => limits.every((limit) => this.#inWindow(limit, at) < limit.requests))!;
  }
}

const limitSets = fc.uniqueArray(
  fc.record({ requests: fc.integer({ min: 1, max: 8 }), windowMs: fc.integer({ min: 1, max: 100 }) }),
  { minLength: 1, maxLength: 3, selector: (limit) => limit.windowMs },
);

/** Gaps between hits: bursts (0), and steps to just before, at and just after each window edge. */
function schedules(limits: readonly { windowMs: number }[], ops: fc.Arbitrary<HitOp>) {
  const edges = limits.flatMap(({ windowMs }) => [windowMs - 1, windowMs, windowMs + 1]);
  const gap = fc.oneof(fc.constant(0), fc.constantFrom(...edges), fc.integer({ min: 0, max: 250 }));
  return fc.array(fc.record({ gap, op: ops }), { minLength: 1, maxLength: 120 });
}

function withIds(limits: readonly { requests: number; windowMs: number }[]): LimitSpec[] {
  return limits.map((limit) => ({ ...limit, id: `${limit.requests}/${limit.windowMs}ms` }));
}

/** Runs `steps` from an arbitrary epoch time, handing each hit and its time to `check`. */
function play(steps: readonly Step[], hit: (step: Step, now: number) => void): void {
  let now = 1_700_000_000_000;
  for (const step of steps) {
    now += step.gap;
    hit(step, now);
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
        for (const { requests, windowMs } of limits) {
          for (const end of admitted) {
            const span = admitted.filter((at) => at > end - windowMs && at <= end);
            expect(span.length).toBeLessThanOrEqual(requests);
          }
        }
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
  const log = new SlidingLog([900, 100]);
  expect(log.hit(limits, 'consume', 1_050)).toMatchObject({ allowed: false, retryAt: 1_100 });
  expect(log.hit(limits, 'consume', 1_100).allowed).toBe(true);
});
