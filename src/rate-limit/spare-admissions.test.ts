/**
 * How an isolate sizes, spends and gives back the spare admissions of one key, with the
 * clock passed in: none for a burst that arrives at once, as many as the recent rate would
 * spend, only while they are young, asked for ahead when half spent, none while the zone
 * is slow or queueing, and every unspent one given back exactly once.
 */
import { describe, expect, it } from 'vitest';
import { KeySpares, type Ticket } from './spare-admissions.ts';

const t = 1_700_000_000_000;
const state = { call: 'the grant' };

/** Answers `ticket` at `now` with what it asked for, under the lease id `lease`. */
function grant(spares: KeySpares<typeof state>, ticket: Ticket, now: number, lease = 'lease-1') {
  return spares.answered(ticket, { lease, spare: ticket.ask.spare, shared: state }, now);
}

describe('KeySpares', () => {
  it('asks no spares for requests arriving at once, and sizes them by the rate once it has been seen', () => {
    const spares = new KeySpares<typeof state>();
    const burst = Array.from({ length: 10 }, () => {
      spares.spend(t);
      return spares.ask(t, 1, 0);
    });
    expect(burst.map((ticket) => ticket.ask.spare)).toEqual(Array(10).fill(0));
    for (const ticket of burst) spares.answered(ticket, undefined, t + 1);
    spares.spend(t + 10);
    // 10 requests in the 10 ms since the rate began: 40 in the 40 ms that half the spending time is.
    expect(spares.ask(t + 10, 1, 0).ask).toEqual({ admit: 1, count: 0, spare: 40, lifetimeMs: 100 });
  });

  it('spends spares only within 80 ms of the call, and gives the rest back once', () => {
    const spares = new KeySpares<typeof state>();
    spares.spend(t);
    spares.answered(spares.ask(t, 1, 0), undefined, t + 1);
    for (let i = 0; i < 4; i++) spares.spend(t + 20);
    const pool = grant(spares, spares.ask(t + 20, 1, 0), t + 21)!;
    expect(pool).toMatchObject({ granted: 8, spares: 8, spendUntil: t + 100 });
    expect([spares.spend(t + 30), spares.spend(t + 99)]).toEqual([state, state]);
    expect(spares.spend(t + 100)).toBeUndefined();
    expect(spares.ask(t + 100, 1, 0).ask.release).toEqual({ lease: 'lease-1', unused: 6 });
    expect(spares.takeBack(pool)).toBeUndefined();
  });

  it('asks for the next spares ahead once the newest grant is half spent, one call at a time', () => {
    const spares = new KeySpares<typeof state>();
    spares.spend(t);
    spares.answered(spares.ask(t, 1, 0), undefined, t + 1);
    for (let i = 0; i < 15; i++) spares.spend(t + i);
    grant(spares, spares.ask(t + 15, 1, 0), t + 16);
    const spent = (count: number, now: number) => {
      for (let i = 0; i < count; i++) spares.spend(now);
    };
    spent(19, t + 20);
    expect(spares.refill(t + 20)).toBeUndefined();
    spent(1, t + 20);
    const ahead = spares.refill(t + 20);
    expect(ahead?.ask).toMatchObject({ admit: 0, count: 0 });
    expect(ahead!.ask.spare).toBeGreaterThan(0);
    spent(1, t + 21);
    expect(spares.refill(t + 21)).toBeUndefined();
  });

  it('asks no spares after a slow answer, or while four calls of the key are in flight', () => {
    const slow = new KeySpares<typeof state>();
    slow.spend(t);
    slow.answered(slow.ask(t, 1, 0), undefined, t + 41);
    for (let i = 0; i < 20; i++) slow.spend(t + 50);
    expect(slow.ask(t + 50, 1, 0).ask.spare).toBe(0);

    const queued = new KeySpares<typeof state>();
    for (let i = 0; i < 4; i++) {
      queued.spend(t);
      queued.ask(t, 1, 0);
    }
    queued.spend(t + 10);
    expect(queued.ask(t + 10, 1, 0).ask.spare).toBe(0);
  });
});
