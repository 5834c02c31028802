/**
 * The RateLimitZone Durable Object in real workerd (the vitest pool's RATE_LIMIT_ZONE),
 * called through the data plane's client as the policies call it: exact counts under
 * concurrency, counts that survive eviction, quotas, clean-up, protocol 2 (lease calls that
 * admit, count and lease, and releases) next to protocol 1, and refusal of requests it
 * cannot read. Time-dependent decisions are proved in sliding-log.test.ts; here the clock is
 * real, so only the tests of short windows wait.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { HitRequest, LeaseRequest, LimitSpec, QuotaRequest, RateLimitZone } from './protocol.ts';
import { periodBounds } from './quota-period.ts';
import { createZoneClient } from './zone-client.ts';

/** Generous: these tests count answers, and a timeout would be an error, not a refusal. */
const zone = createZoneClient(env.RATE_LIMIT_ZONE, { timeoutMs: 60_000 });
const freshKey = () => `rl:test:zone:ip:${crypto.randomUUID()}`;
const consume = (...limits: LimitSpec[]): HitRequest => ({ v: 1, op: 'consume', limits });
const perDay = (requests: number): LimitSpec => ({ id: `${requests}/1d`, requests, windowMs: 86_400_000 });
/** A lease() call counting `count` forwarded requests (async mode), leasing nothing. */
const count = (count: number, ...limits: LimitSpec[]): LeaseRequest => ({
  v: 2,
  admit: 0,
  count,
  spare: 0,
  lifetimeMs: 100,
  limits,
});
const lease = (admit: number, spare: number, ...limits: LimitSpec[]): LeaseRequest => ({
  v: 2,
  admit,
  count: 0,
  spare,
  lifetimeMs: 100,
  limits,
});

/** Sends `count` hits at once (through the client unless `via` says otherwise); how they went. */
async function burst(
  key: string,
  request: HitRequest,
  count: number,
  via: Pick<RateLimitZone, 'hit'> = zone,
) {
  const answers = await Promise.allSettled(Array.from({ length: count }, () => via.hit(key, request)));
  const allowed = answers.filter((a) => a.status === 'fulfilled' && a.value.allowed).length;
  const failed = answers.filter((a) => a.status === 'rejected').length;
  return { allowed, refused: count - allowed - failed, failed };
}

describe('exact counts under concurrency', () => {
  it('admits exactly 100 of 1,000 concurrent hits on one key, in each of 20 trials', async () => {
    for (let trial = 0; trial < 20; trial++) {
      expect(await burst(freshKey(), consume(perDay(100)), 1_000)).toEqual({
        allowed: 100,
        refused: 900,
        failed: 0,
      });
    }
  }, 300_000);

  it('admits exactly 20 for each of 50 keys hit 200 times at once', async () => {
    const keys = Array.from({ length: 50 }, freshKey);
    // Straight to the objects: 10,000 calls at once would need more timers than workerd
    // allows one request (10,000), and the client sets one per call.
    const direct = {
      hit: (key: string, request: HitRequest) => env.RATE_LIMIT_ZONE.getByName(key).hit(request),
    };
    const results = await Promise.all(keys.map((key) => burst(key, consume(perDay(20)), 200, direct)));
    expect(results).toEqual(keys.map(() => ({ allowed: 20, refused: 180, failed: 0 })));
  }, 300_000);

  it('holds two limits at once and admits again when the shorter window allows', async () => {
    const key = freshKey();
    const request = consume(
      { id: '3/1s', requests: 3, windowMs: 1_000 },
      { id: '5/10s', requests: 5, windowMs: 10_000 },
    );
    expect(await burst(key, request, 10)).toEqual({ allowed: 3, refused: 7, failed: 0 });
    const refused = await zone.hit(key, request);
    expect(refused.limits.map((limit) => limit.remaining)).toEqual([0, 2]);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAt - Date.now() + 10));
    expect(await burst(key, request, 10)).toEqual({ allowed: 2, refused: 8, failed: 0 });
    const full = await zone.hit(key, request);
    expect(full.limits.map((limit) => limit.remaining)).toEqual([1, 0]);
    expect(full.retryAt).toBe(full.limits[1]!.resetAt);
  }, 30_000);
});

describe('eviction', () => {
  it('keeps the count of a window when the object is evicted mid-window', async () => {
    const key = freshKey();
    const stub = env.RATE_LIMIT_ZONE.getByName(key);
    expect(await burst(key, consume(perDay(10)), 7)).toMatchObject({ allowed: 7 });
    const before = await runInDurableObject(stub, (instance) => instance);
    await evictDurableObject(stub);
    expect(await burst(key, consume(perDay(10)), 5)).toEqual({ allowed: 3, refused: 2, failed: 0 });
    expect(await runInDurableObject(stub, (instance) => instance)).not.toBe(before);
  });

  it('keeps the count of an object that protocol 1 code wrote, one row per hit', async () => {
    const key = freshKey();
    const stub = env.RATE_LIMIT_ZONE.getByName(key);
    const expires = Date.now() + 86_400_000;
    await runInDurableObject(stub, (_, state) => {
      state.storage.sql.exec('CREATE TABLE hits (at INTEGER NOT NULL, expires INTEGER NOT NULL)');
      const at = Date.now();
      for (const hitAt of [at, at, at - 1]) {
        state.storage.sql.exec('INSERT INTO hits (at, expires) VALUES (?, ?)', hitAt, expires);
      }
    });
    await evictDurableObject(stub);
    expect(await zone.lease(key, count(1, perDay(5)))).toMatchObject({ limits: [{ remaining: 1 }] });
    const tables = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").toArray(),
    );
    const ours = tables.map((table) => String(table.name)).filter((name) => !name.startsWith('_cf_'));
    expect(ours).toEqual(['leases', 'quota_usage', 'records']);
  });

  it('keeps a quota counter too', async () => {
    const key = `quota:test:zone:consumer:${crypto.randomUUID()}`;
    const add: QuotaRequest = { v: 1, period: 'month', allowance: 5, op: 'add' };
    for (let i = 0; i < 3; i++) await zone.quota(key, add);
    await evictDurableObject(env.RATE_LIMIT_ZONE.getByName(key));
    expect(await zone.quota(key, { ...add, op: 'check' })).toMatchObject({ used: 3, remaining: 2 });
  });
});

describe('quota', () => {
  it('counts on add, not on check, per period, and resets at the next UTC period start', async () => {
    const key = `quota:test:zone:consumer:${crypto.randomUUID()}`;
    const hourly: QuotaRequest = { v: 1, period: 'hour', allowance: 2, op: 'add' };
    const start = Date.now();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await zone.quota(key, hourly));
    const ends = [periodBounds('hour', start).end, periodBounds('hour', Date.now()).end];
    expect(answers.map(({ used, remaining }) => [used, remaining])).toEqual([
      [1, 1],
      [2, 0],
      [3, 0],
    ]);
    expect(ends).toContain(answers[2]!.resetAt);
    expect(await zone.quota(key, { ...hourly, op: 'check' })).toMatchObject({ used: 3, remaining: 0 });
    expect(await zone.quota(key, { ...hourly, period: 'day', op: 'check' })).toMatchObject({ used: 0 });
  });
});

describe('clean-up', () => {
  it('deletes expired records with its alarm, and the whole database once nothing is left', async () => {
    const key = freshKey();
    const stub = env.RATE_LIMIT_ZONE.getByName(key);
    const short = consume({ id: '1/1ms', requests: 1, windowMs: 1 });
    expect((await zone.hit(key, short)).allowed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The runtime may have run the alarm on time already; if not, run it now.
    await runDurableObjectAlarm(stub);
    const left = await runInDurableObject(stub, async (_, state) => ({
      tables: state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
      alarm: await state.storage.getAlarm(),
    }));
    expect(left).toEqual({ tables: [], alarm: null });
    expect((await zone.hit(key, short)).allowed).toBe(true);
  });

  it('keeps unexpired records and sets its alarm again', async () => {
    const key = freshKey();
    const stub = env.RATE_LIMIT_ZONE.getByName(key);
    await burst(key, consume(perDay(3)), 2);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).not.toBeNull();
    expect(await burst(key, consume(perDay(3)), 2)).toMatchObject({ allowed: 1, refused: 1 });
  });
});

describe('protocol 2 next to protocol 1', () => {
  it('answers both versions on one key, each in its own, a version 1 request counting one hit', async () => {
    const key = freshKey();
    const hour = perDay(100);
    const v1Count = await zone.hit(key, { v: 1, op: 'count', limits: [hour] });
    expect(v1Count).toMatchObject({ v: 1, allowed: true, limits: [{ remaining: 99 }] });
    expect(await zone.lease(key, count(5, hour))).toMatchObject({
      v: 2,
      allowed: true,
      limits: [{ remaining: 94 }],
    });
    expect(await zone.hit(key, consume(hour))).toMatchObject({
      v: 1,
      allowed: true,
      limits: [{ remaining: 93 }],
    });
    expect(await zone.lease(key, lease(2, 0, hour))).toMatchObject({
      v: 2,
      admitted: 2,
      limits: [{ remaining: 91 }],
    });
    expect(await zone.quota(key, { v: 2, period: 'day', allowance: 3, op: 'add' })).toMatchObject({
      v: 2,
      used: 1,
    });
  });

  it('counts every request a lease call counts, and reports the key over once they pass the limit', async () => {
    const key = freshKey();
    expect(await zone.lease(key, count(8, perDay(10)))).toMatchObject({
      allowed: true,
      limits: [{ remaining: 2 }],
    });
    const over = await zone.lease(key, { ...count(3, perDay(10)), spare: 32 });
    expect(over).toMatchObject({ allowed: false, spare: 0, limits: [{ remaining: 0 }] });
    expect(over.retryAt).toBeGreaterThan(Date.now());
    // The third counted request is on the record too: one more admission does not fit.
    expect(await zone.hit(key, consume(perDay(11)))).toMatchObject({ allowed: false });
  });
});

describe('leases', () => {
  it('admits the requests waiting, as far as there is room, and leases at most 32 and half of the rest', async () => {
    const key = freshKey();
    const limit = perDay(100);
    expect(await zone.lease(key, lease(10, 32, limit))).toMatchObject({
      admitted: 10,
      allowed: true,
      spare: 32,
      limits: [{ remaining: 58 }],
    });
    expect(await zone.lease(key, lease(0, 32, limit))).toMatchObject({
      spare: 29,
      limits: [{ remaining: 29 }],
    });
    const refused = await zone.lease(key, lease(40, 32, limit));
    expect(refused).toMatchObject({
      admitted: 29,
      allowed: false,
      spare: 0,
      lease: '',
      limits: [{ remaining: 0 }],
    });
    expect(refused.retryAt).toBeGreaterThan(Date.now());
  });

  it('admits exactly 100 of 1,000 requests asked for in concurrent calls of ten, spares included', async () => {
    const key = freshKey();
    const calls = Array.from({ length: 100 }, () => zone.lease(key, lease(10, 32, perDay(100))));
    const answers = await Promise.all(calls);
    const charged = answers.reduce((sum, answer) => sum + answer.admitted + answer.spare, 0);
    expect(charged).toBe(100);
  });

  it('takes a release back before deciding the call that carries it, even after eviction', async () => {
    const key = freshKey();
    const limit = perDay(10);
    const granted = await zone.lease(key, lease(1, 32, limit));
    expect(granted).toMatchObject({ admitted: 1, spare: 4, limits: [{ remaining: 5 }] });
    await evictDurableObject(env.RATE_LIMIT_ZONE.getByName(key));
    const release = { lease: granted.lease, unused: 3 };
    // Without the release only 5 would fit.
    expect(await zone.lease(key, { ...lease(9, 0, limit), release })).toMatchObject({
      admitted: 8,
      allowed: false,
      limits: [{ remaining: 0 }],
    });
    // Given back once: a second release of the same lease takes back only what it has left.
    await evictDurableObject(env.RATE_LIMIT_ZONE.getByName(key));
    const again = await zone.lease(key, {
      ...lease(1, 0, limit),
      release: { lease: granted.lease, unused: 4 },
    });
    expect(again).toMatchObject({ admitted: 1, limits: [{ remaining: 0 }] });
  });

  it('deletes a lease with the hits once they expire, and the database with them', async () => {
    const key = freshKey();
    const stub = env.RATE_LIMIT_ZONE.getByName(key);
    const short = { id: '4/1ms', requests: 4, windowMs: 1 };
    expect(await zone.lease(key, { ...lease(1, 1, short), lifetimeMs: 1 })).toMatchObject({
      admitted: 1,
      spare: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await runDurableObjectAlarm(stub);
    const tables = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table'").toArray(),
    );
    expect(tables).toEqual([]);
  });
});

describe('requests the zone cannot read', () => {
  it('refuses a request of an unknown protocol version and counts nothing', async () => {
    const key = freshKey();
    const future = { ...consume(perDay(1)), v: 7 } as unknown as HitRequest;
    await expect(zone.hit(key, future)).rejects.toThrow(
      'rate-limit zone: hit() speaks protocol 1; the request is of protocol 7',
    );
    const quota = { v: 3, period: 'day', allowance: 1, op: 'add' } as unknown as QuotaRequest;
    await expect(zone.quota(key, quota)).rejects.toThrow(
      /quota\(\) speaks protocol 1 and 2; the request is of protocol 3/,
    );
    // Protocol 2 has lease() instead of hit(), and lease() has no protocol 1.
    const newHit = { v: 2, op: 'count', limits: [perDay(1)] } as unknown as HitRequest;
    await expect(zone.hit(key, newHit)).rejects.toThrow(
      /hit\(\) speaks protocol 1; the request is of protocol 2/,
    );
    const oldLease = { ...lease(0, 1, perDay(1)), v: 1 } as unknown as LeaseRequest;
    await expect(zone.lease(key, oldLease)).rejects.toThrow(
      'rate-limit zone: lease() speaks protocol 2; the request is of protocol 1',
    );
    expect(await zone.hit(key, consume(perDay(1)))).toMatchObject({ allowed: true });
  });

  it('refuses a malformed request rather than guessing', async () => {
    const noRoom = consume({ id: 'none', requests: 0, windowMs: 1_000 });
    await expect(zone.hit(freshKey(), noRoom)).rejects.toThrow(/rate-limit zone: malformed hit\(\) request/);
    await expect(zone.hit(freshKey(), consume())).rejects.toThrow(/malformed/);
    await expect(zone.lease(freshKey(), { ...lease(1, 0, perDay(5)), count: -1 })).rejects.toThrow(
      /malformed lease\(\) request/,
    );
    await expect(zone.lease(freshKey(), lease(1, 65, perDay(100)))).rejects.toThrow(
      /malformed lease\(\) request/,
    );
  });
});
