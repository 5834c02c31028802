/**
 * rate-limit called directly, against the real rate-limit zone (the Durable Object in
 * workerd): what a request is counted by (IP from CF-Connecting-IP only, IPv6 per /64,
 * consumer, API key, claim, header, route, and the fall-back to the IP), the isolate's
 * memory of keys over their limit (zone calls counted), a throwing or hanging zone under
 * onError allow and deny, spare admissions (exact under a burst, spent without calls,
 * asked for ahead, given back), and async mode, including its overshoot bound.
 */

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../../test/data-plane/helpers/deployments.ts';
import {
  policyContext,
  TestClock,
  type TestPolicyContext,
} from '../../../test/data-plane/helpers/policy-context.ts';
import { policyDeps, testZone } from '../../../test/data-plane/helpers/policy-deps.ts';
import { expectPassed, expectRefusal } from '../../../test/data-plane/helpers/refusals.ts';
import {
  countingZone,
  hangingZone,
  throwingZone,
  ZoneClock,
} from '../../../test/data-plane/helpers/zones.ts';
import { CONSUMER, type Consumer } from '../../identity/consumer.ts';
import { type RateLimitZone, ZONE_PROTOCOL } from '../../rate-limit/protocol.ts';
import { createZoneClient } from '../../rate-limit/zone-client.ts';
import type { PolicyInstance } from '../contract.ts';
import { create } from './policy.ts';
import { rateLimitSchema } from './schema.ts';

const RATE_LIMITED = { status: 429, slug: 'rate-limited' };

interface Limiter {
  readonly policy: Required<PolicyInstance>;
  readonly clock: TestClock;
  /** The waitUntil work of every request so far (async counts). */
  readonly pending: Promise<unknown>[];
  /** Runs the inbound side for one request; `consumer` is what an auth policy would have set. */
  send(headers?: Record<string, string>, consumer?: Consumer): Promise<Request | Response>;
  context(consumer?: Consumer): TestPolicyContext;
}

/** A fresh policy name per limiter unless given, so each test has its own zone keys. */
/**
 * `clock` follows the zone's real time unless given: the spare-admission tests pass one that
 * stands still, so the rates and lifetimes they depend on are the ones they set.
 */
function limiter(
  options: Record<string, unknown>,
  zone?: RateLimitZone,
  name = uniqueName('limit'),
  clock: TestClock = new ZoneClock(),
): Limiter {
  const deps = { ...policyDeps(name), ...(zone ? { rateLimitZone: zone } : {}) };
  const policy = create(rateLimitSchema.parse(options), deps) as Required<PolicyInstance>;
  const pending: Promise<unknown>[] = [];
  function context(consumer?: Consumer): TestPolicyContext {
    const ctx = {
      ...policyContext(clock),
      waitUntil: (promise: Promise<unknown>) => void pending.push(promise),
    };
    if (consumer) ctx.data.set(CONSUMER, consumer);
    return ctx;
  }
  return {
    policy,
    clock,
    pending,
    context,
    send(headers = {}, consumer) {
      return policy.inbound(new Request('https://api.example/orders', { headers }), context(consumer));
    },
  };
}

/** How many of `count` requests, sent one after another, the policy let through. */
async function admitted(count: number, send: () => Promise<Request | Response>): Promise<number> {
  let passed = 0;
  for (let i = 0; i < count; i++) if (!((await send()) instanceof Response)) passed++;
  return passed;
}

/** Waits for every waitUntil promise so far, and for those they add while settling. */
async function settled(pending: Promise<unknown>[]): Promise<void> {
  for (let seen = 0; seen < pending.length; seen = pending.length) await Promise.all(pending.slice(seen));
}

function consumer(id: string, extra: Partial<Consumer> = {}): Consumer {
  return { id, name: id, method: 'jwt', tags: [], metadata: {}, scopes: [], ...extra };
}

const TWO_PER_MINUTE = { limits: [{ requests: 2, window: '1m' }] };

describe('rate-limit: the client IP', () => {
  it('counts by CF-Connecting-IP and ignores X-Forwarded-For and X-Real-IP', async () => {
    const { send } = limiter(TWO_PER_MINUTE);
    const spoofs: Record<string, string>[] = [
      { 'x-forwarded-for': '198.51.100.1' },
      { 'x-forwarded-for': '198.51.100.2, 203.0.113.9' },
      { 'x-real-ip': '198.51.100.3' },
    ];
    const results = [];
    for (const spoof of spoofs) results.push(await send({ 'cf-connecting-ip': '203.0.113.7', ...spoof }));
    await expectPassed(results[0]!);
    await expectPassed(results[1]!);
    await expectRefusal(results[2]!, RATE_LIMITED);
    await expectPassed(await send({ 'cf-connecting-ip': '203.0.113.8', 'x-forwarded-for': '203.0.113.7' }));
  });

  it('counts IPv6 addresses of one /64 together, and other /64s apart', async () => {
    const { send } = limiter(TWO_PER_MINUTE);
    const sameSlash64 = ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002:a::b'];
    const passed = await admitted(3, () => send({ 'cf-connecting-ip': sameSlash64.shift()! }));
    expect(passed).toBe(2);
    await expectPassed(await send({ 'cf-connecting-ip': '2001:db8:1:3::1' }));
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', async () => {
    const { send } = limiter(TWO_PER_MINUTE);
    await expectPassed(await send({ 'cf-connecting-ip': '192.0.2.1' }));
    await expectPassed(await send({ 'cf-connecting-ip': '::ffff:192.0.2.1' }));
    await expectRefusal(await send({ 'cf-connecting-ip': '::ffff:c000:201' }), RATE_LIMITED);
  });

  it('counts requests without a usable CF-Connecting-IP as one unknown client, and logs it', async () => {
    const { policy, context } = limiter(TWO_PER_MINUTE);
    const contexts = [context(), context(), context()];
    const requests: Record<string, string>[] = [
      {},
      { 'cf-connecting-ip': 'not an address' },
      { 'x-forwarded-for': '192.0.2.9' },
    ];
    const results = [];
    for (const [i, headers] of requests.entries()) {
      results.push(await policy.inbound(new Request('https://api.example/', { headers }), contexts[i]!));
    }
    expect(results.filter((result) => result instanceof Response)).toHaveLength(1);
    for (const ctx of contexts) {
      expect(ctx.logs.map((line) => line.message)).toContain(
        'rate-limit: no usable CF-Connecting-IP; counting the request as an unknown client',
      );
    }
  });
});

describe('rate-limit: other keys', () => {
  const ip = { 'cf-connecting-ip': '192.0.2.44' };

  it('counts each consumer apart, and a request without one by its IP', async () => {
    const { send } = limiter({ ...TWO_PER_MINUTE, key: { by: 'consumer' } });
    expect(await admitted(3, () => send(ip, consumer('alice')))).toBe(2);
    expect(await admitted(3, () => send(ip, consumer('bob')))).toBe(2);
    expect(await admitted(3, () => send(ip))).toBe(2);
  });

  it('counts each API key apart, even of one consumer; a consumer without a key by its IP', async () => {
    const { send } = limiter({ ...TWO_PER_MINUTE, key: { by: 'api-key' } });
    const viaKey = (credentialId: string) => consumer('con_acme', { method: 'api-key', credentialId });
    expect(await admitted(3, () => send(ip, viaKey('key_1')))).toBe(2);
    expect(await admitted(3, () => send(ip, viaKey('key_2')))).toBe(2);
    expect(await admitted(1, () => send(ip, consumer('con_acme')))).toBe(1);
    expect(await admitted(2, () => send(ip))).toBe(1);
  });

  it('counts by a claim, string or number; a consumer without it by its IP', async () => {
    const { send } = limiter({ ...TWO_PER_MINUTE, key: { by: 'claim', claim: 'tenant' } });
    const inTenant = (tenant: unknown, id = 'u') => consumer(id, { claims: { tenant } });
    expect(await admitted(3, () => send(ip, inTenant('acme', crypto.randomUUID())))).toBe(2);
    expect(await admitted(3, () => send(ip, inTenant(42)))).toBe(2);
    expect(await admitted(3, () => send(ip, inTenant({ nested: true })))).toBe(2);
    await expectRefusal(await send(ip, consumer('no-claims')), RATE_LIMITED);
  });

  it('counts by a header, long values included; a request without it by its IP', async () => {
    const { send } = limiter({ ...TWO_PER_MINUTE, key: { by: 'header', header: 'X-Tenant' } });
    const long = 'a'.repeat(8_000);
    expect(await admitted(3, () => send({ ...ip, 'x-tenant': 'acme' }))).toBe(2);
    expect(await admitted(3, () => send({ ...ip, 'x-tenant': long }))).toBe(2);
    expect(await admitted(1, () => send({ ...ip, 'x-tenant': `${long}b` }))).toBe(1);
    expect(await admitted(3, () => send(ip))).toBe(2);
  });

  it('counts the whole route as one, whoever calls', async () => {
    const { send } = limiter({ ...TWO_PER_MINUTE, key: { by: 'route' } });
    await expectPassed(await send({ 'cf-connecting-ip': '192.0.2.1' }, consumer('alice')));
    await expectPassed(await send({ 'cf-connecting-ip': '192.0.2.2' }, consumer('bob')));
    await expectRefusal(await send({ 'cf-connecting-ip': '192.0.2.3' }), RATE_LIMITED);
  });
});

describe('rate-limit: the isolate remembers keys over their limit', () => {
  it('answers a key with no room left without calling the zone, until the zone would have room', async () => {
    const zone = countingZone();
    const { send, clock } = limiter(TWO_PER_MINUTE, zone);
    const ip = { 'cf-connecting-ip': '192.0.2.50' };
    expect(await admitted(5, () => send(ip))).toBe(2);
    expect(zone.calls).toHaveLength(2);

    const refusal = (await send(ip)) as Response;
    const retryAfter = Number(refusal.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(zone.calls).toHaveLength(2);

    clock.advance(retryAfter * 1_000);
    await send(ip);
    expect(zone.calls).toHaveLength(3);
  });

  it('keeps other keys apart, and forgets a key when its policy is redeployed with other limits', async () => {
    const zone = countingZone();
    const name = uniqueName('limit');
    const ip = { 'cf-connecting-ip': '192.0.2.60' };
    const before = limiter({ limits: [{ requests: 1, window: '1h' }] }, zone, name);
    await expectPassed(await before.send(ip));
    await expectRefusal(await before.send(ip), RATE_LIMITED);
    await expectPassed(await before.send({ 'cf-connecting-ip': '192.0.2.61' }));
    expect(zone.calls).toHaveLength(2);

    const raised = limiter({ limits: [{ requests: 3, window: '1h' }] }, zone, name);
    expect(await admitted(3, () => raised.send(ip))).toBe(2);
  });
});

const patientZone = createZoneClient(env.RATE_LIMIT_ZONE, { timeoutMs: 60_000 });

/** What the zone says is left of `limit` for `key`, asking with a call that charges nothing. */
async function leftInZone(key: string, limit: { requests: number; window: string }): Promise<number> {
  const windowMs = { '1h': 3_600_000 }[limit.window]!;
  const limits = [{ id: `${limit.requests}-per-${limit.window}`, requests: limit.requests, windowMs }];
  const answer = await testZone.lease(key, {
    v: ZONE_PROTOCOL,
    limits,
    admit: 0,
    count: 0,
    spare: 0,
    lifetimeMs: 1,
  });
  return answer.limits[0]!.remaining;
}

describe('rate-limit: spare admissions', () => {
  const HUNDRED_PER_HOUR = { requests: 100, window: '1h' };

  it('admits exactly 100 of 1,000 concurrent requests on one key, and refuses 900', async () => {
    // Patient: the burst's requests each make a call, and the last wait for hundreds before them.
    const { send } = limiter({ limits: [HUNDRED_PER_HOUR] }, patientZone);
    const ip = { 'cf-connecting-ip': '192.0.2.90' };
    const results = await Promise.all(Array.from({ length: 1_000 }, () => send(ip)));
    expect(results.filter((result) => result instanceof Request)).toHaveLength(100);
    const refusals = results.filter((result) => result instanceof Response);
    expect(refusals.map((refusal) => refusal.status)).toEqual(Array(900).fill(429));
  });

  it('spends leased spares without a zone call, and gives back those it did not spend', async () => {
    const zone = countingZone();
    const name = uniqueName('limit');
    const { send, pending, clock } = limiter({ limits: [HUNDRED_PER_HOUR] }, zone, name, new TestClock());
    const ip = { 'cf-connecting-ip': '192.0.2.91' };
    // Ten at once are a burst: each makes its call. A request 6 ms later finds a rate to go by.
    await Promise.all(Array.from({ length: 10 }, () => send(ip)));
    clock.advance(6);
    await expectPassed(await send(ip));
    expect(zone.calls).toHaveLength(11);
    expect(await admitted(4, () => send(ip))).toBe(4);
    expect(zone.calls).toHaveLength(11);

    await settled(pending);
    // Once their time is up the unspent spares went back, so exactly what was admitted is charged.
    const key = `rl:production:${name}:ip:192.0.2.91`;
    expect(await leftInZone(key, HUNDRED_PER_HOUR)).toBe(85);
    expect(await admitted(150, () => send(ip))).toBe(85);
  });

  it('admits a steady stream with far fewer zone calls than requests', async () => {
    const zone = countingZone();
    const { send, clock } = limiter(
      { limits: [{ requests: 10_000, window: '1h' }] },
      zone,
      undefined,
      new TestClock(),
    );
    const ip = { 'cf-connecting-ip': '192.0.2.92' };
    let passed = 0;
    for (let i = 0; i < 200; i++) {
      if ((await send(ip)) instanceof Request) passed++;
      clock.advance(0.5);
      // Lets calls made after a response land between requests, as they would between arrivals.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(passed).toBe(200);
    expect(zone.calls.length).toBeLessThan(40);
  });

  it('decides every request by onError when its call fails', async () => {
    const { send } = limiter({ ...TWO_PER_MINUTE, onError: 'deny' }, throwingZone);
    const results = await Promise.all(Array.from({ length: 5 }, () => send()));
    for (const result of results)
      await expectRefusal(result, { status: 503, slug: 'rate-limit-unavailable' });
  });
});

describe('rate-limit: a failing zone', () => {
  const failing = [
    ['throws', () => throwingZone],
    ['does not answer within the timeout', () => hangingZone(20)],
  ] as const;

  for (const [behaviour, zone] of failing) {
    it(`lets requests pass when the zone ${behaviour} and onError is allow, and logs it`, async () => {
      const { policy, context } = limiter(TWO_PER_MINUTE, zone());
      const ctx = context();
      await expectPassed(await policy.inbound(new Request('https://api.example/'), ctx));
      expect(ctx.logs).toContainEqual(
        expect.objectContaining({ level: 'warn', message: 'rate-limit zone failed' }),
      );
      const response = await policy.outbound(new Response('ok'), ctx);
      expect(response.headers.get('ratelimit-policy')).toBe('"2-per-1m";q=2;w=60');
      expect(response.headers.get('ratelimit')).toBeNull();
    });

    it(`answers 503 with Retry-After when the zone ${behaviour} and onError is deny`, async () => {
      const { send } = limiter({ ...TWO_PER_MINUTE, onError: 'deny' }, zone());
      const result = await send();
      const detail = await expectRefusal(result, { status: 503, slug: 'rate-limit-unavailable' });
      expect(detail).not.toMatch(/thrown|timeout|ms/i);
      expect((result as Response).headers.get('retry-after')).toBe('5');
    });
  }
});

describe('rate-limit: async mode', () => {
  const ASYNC = { ...TWO_PER_MINUTE, mode: 'async' };

  it('forwards at once, without waiting for the zone', async () => {
    const { send } = limiter({ ...ASYNC, onError: 'deny' }, hangingZone(1_000));
    await expectPassed(await send());
  });

  it('counts alongside and refuses a key locally once the zone reports it has no room', async () => {
    const zone = countingZone();
    const { send, pending } = limiter(ASYNC, zone);
    const ip = { 'cf-connecting-ip': '192.0.2.70' };
    for (let i = 0; i < 2; i++) {
      await expectPassed(await send(ip));
      await Promise.all(pending);
    }
    await expectRefusal(await send(ip), RATE_LIMITED);
    expect(zone.calls.map((call) => call.op)).toEqual(['lease', 'lease']);
  });

  it('counts a steady stream with far fewer calls than requests, and every request of it', async () => {
    const zone = countingZone();
    const name = uniqueName('limit');
    const options = { limits: [{ requests: 1_000, window: '1h' }], mode: 'async' };
    const { send, pending, clock } = limiter(options, zone, name, new TestClock());
    const ip = { 'cf-connecting-ip': '192.0.2.75' };
    for (let i = 0; i < 50; i++) {
      await expectPassed(await send(ip));
      clock.advance(1);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(zone.calls.length).toBeLessThan(25);
    await settled(pending);
    const key = `rl:production:${name}:ip:192.0.2.75`;
    expect(await leftInZone(key, { requests: 1_000, window: '1h' })).toBe(950);
  });

  it('overshoots by the requests in flight before the first over-limit answer returns', async () => {
    for (const burst of [1, 5, 20]) {
      const { send, pending } = limiter({ limits: [{ requests: 1, window: '1h' }], mode: 'async' });
      const ip = { 'cf-connecting-ip': '192.0.2.80' };
      const results = await Promise.all(Array.from({ length: burst }, () => send(ip)));
      expect(results.filter((result) => result instanceof Request)).toHaveLength(burst);
      await Promise.all(pending);
      await expectRefusal(await send(ip), RATE_LIMITED);
    }
  });
});

describe('rate-limit: schema', () => {
  it('accepts windows from 1 second to 1 day, written with s, m, h or d', () => {
    for (const window of ['1s', '10s', '90s', '15m', '2h', '1d', '86400s', '1440m']) {
      expect(rateLimitSchema.safeParse({ limits: [{ requests: 1, window }] }).success).toBe(true);
    }
    for (const window of ['0s', '2d', '86401s', '1.5s', '1 s', '1w', 's', '10']) {
      expect(rateLimitSchema.safeParse({ limits: [{ requests: 1, window }] }).success).toBe(false);
    }
  });

  it('refuses no limits, two limits with one window, and requests out of 1..100000', () => {
    const refused = [
      { limits: [] },
      {
        limits: [
          { requests: 1, window: '1m' },
          { requests: 2, window: '60s' },
        ],
      },
      { limits: [{ requests: 0, window: '1m' }] },
      { limits: [{ requests: 100_001, window: '1m' }] },
    ];
    for (const options of refused) expect(rateLimitSchema.safeParse(options).success).toBe(false);
  });

  it('defaults to the client IP, strict mode, onError allow and the RateLimit fields', () => {
    expect(rateLimitSchema.parse(TWO_PER_MINUTE)).toEqual({
      key: { by: 'ip' },
      limits: [{ requests: 2, window: '1m' }],
      mode: 'strict',
      onError: 'allow',
      headers: true,
    });
  });
});
