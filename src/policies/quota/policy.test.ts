/**
 * quota called directly, against the real rate-limit zone (the Durable Object in
 * workerd): it counts only responses in countStatuses, refuses 429 with Retry-After to
 * the end of the UTC period once the allowance is used, shows what is left in the
 * RateLimit fields, keeps consumers and API keys apart, refuses anonymous requests, and
 * follows onError when the zone fails.
 */
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../../../test/data-plane/helpers/deployments.ts';
import { policyContext, type TestPolicyContext } from '../../../test/data-plane/helpers/policy-context.ts';
import { policyDeps } from '../../../test/data-plane/helpers/policy-deps.ts';
import { expectPassed, expectRefusal } from '../../../test/data-plane/helpers/refusals.ts';
import { countingZone, throwingZone, ZoneClock } from '../../../test/data-plane/helpers/zones.ts';
import { CONSUMER, type Consumer } from '../../identity/consumer.ts';
import type { RateLimitZone } from '../../rate-limit/protocol.ts';
import type { PolicyInstance } from '../contract.ts';
import { create } from './policy.ts';
import { quotaSchema } from './schema.ts';

const EXHAUSTED = { status: 429, slug: 'quota-exhausted' };

interface Quota {
  readonly clock: ZoneClock;
  /** Runs the inbound side, then, if it passed, the outbound side on a response of `status`. */
  call(consumer: Consumer | undefined, status?: number): Promise<Response>;
  /** The inbound side alone. */
  check(consumer: Consumer | undefined): Promise<{ result: Request | Response; ctx: TestPolicyContext }>;
}

function quota(options: Record<string, unknown>, zone?: RateLimitZone): Quota {
  const clock = new ZoneClock();
  const deps = { ...policyDeps(uniqueName('quota')), ...(zone ? { rateLimitZone: zone } : {}) };
  const policy = create(quotaSchema.parse(options), deps) as Required<PolicyInstance>;
  const pending: Promise<unknown>[] = [];
  async function check(consumer: Consumer | undefined) {
    const ctx = {
      ...policyContext(clock),
      waitUntil: (promise: Promise<unknown>) => void pending.push(promise),
    };
    if (consumer) ctx.data.set(CONSUMER, consumer);
    return { result: await policy.inbound(new Request('https://api.example/reports'), ctx), ctx };
  }
  return {
    clock,
    check,
    async call(consumer, status = 200) {
      const { result, ctx } = await check(consumer);
      if (result instanceof Response) return result;
      const response = await policy.outbound(new Response(null, { status }), ctx);
      await Promise.all(pending.splice(0));
      return response;
    },
  };
}

function consumer(id: string, credentialId?: string): Consumer {
  return { id, name: id, method: 'api-key', tags: [], metadata: {}, scopes: [], credentialId };
}

/** Seconds from `now` to the next UTC midnight, rounded up: what Retry-After says for a daily quota. */
function secondsToNextUtcDay(now: number): number {
  const date = new Date(now);
  const next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
  return Math.ceil((next - now) / 1_000);
}

describe('quota', () => {
  it('counts only responses in countStatuses and shows what is left', async () => {
    const { call } = quota({ period: 'day', requests: 2 });
    const alice = consumer('alice');
    const notCounted = await call(alice, 500);
    expect(notCounted.status).toBe(500);
    expect(notCounted.headers.get('ratelimit-policy')).toBe('"2-per-day";q=2;w=86400');
    expect(notCounted.headers.get('ratelimit')).toMatch(/^"2-per-day";r=2;t=\d+$/);
    expect((await call(alice, 404)).headers.get('ratelimit')).toMatch(/;r=2;/);
    expect((await call(alice, 200)).headers.get('ratelimit')).toMatch(/;r=1;/);
    expect((await call(alice, 201)).headers.get('ratelimit')).toMatch(/;r=0;/);
  });

  it('refuses 429 once the allowance is used, with Retry-After to the end of the UTC period', async () => {
    const { call, clock } = quota({ period: 'day', requests: 1 });
    const alice = consumer('alice');
    expect((await call(alice)).status).toBe(200);
    const refusal = await call(alice);
    const expected = secondsToNextUtcDay(clock.now());
    const detail = await expectRefusal(refusal, EXHAUSTED);
    expect(detail).toMatch(/daily request allowance is used up/);
    // The clock may tick over a second between the refusal and this line, never more.
    expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThanOrEqual(expected);
    expect(Number(refusal.headers.get('retry-after'))).toBeLessThanOrEqual(expected + 1);
    expect(refusal.headers.get('ratelimit')).toMatch(/^"1-per-day";r=0;t=\d+$/);
    expect((await call(consumer('bob'))).status).toBe(200);
  });

  it('counts the statuses and ranges it is given', async () => {
    const { call } = quota({ period: 'hour', requests: 3, countStatuses: ['404', '500-502', '3xx'] });
    const alice = consumer('alice');
    for (const status of [200, 204, 400, 503]) expect((await call(alice, status)).status).toBe(status);
    for (const status of [404, 501, 302]) expect((await call(alice, status)).status).toBe(status);
    await expectRefusal(await call(alice), EXHAUSTED);
  });

  it('answers an exhausted key without asking the zone until the period ends', async () => {
    const zone = countingZone();
    const { call } = quota({ period: 'month', requests: 1 }, zone);
    const alice = consumer('alice');
    await call(alice);
    await expectRefusal(await call(alice), EXHAUSTED);
    await expectRefusal(await call(alice), EXHAUSTED);
    expect(zone.calls.map((entry) => entry.op)).toEqual(['check', 'add']);
  });

  it('keeps one allowance per API key with by: api-key, and per consumer by default', async () => {
    const perKey = quota({ period: 'day', requests: 1, by: 'api-key' });
    expect((await perKey.call(consumer('acme', 'key_1'))).status).toBe(200);
    expect((await perKey.call(consumer('acme', 'key_2'))).status).toBe(200);
    expect((await perKey.call(consumer('acme'))).status).toBe(200);
    await expectRefusal(await perKey.call(consumer('acme', 'key_1')), EXHAUSTED);

    const perConsumer = quota({ period: 'day', requests: 1 });
    expect((await perConsumer.call(consumer('acme', 'key_1'))).status).toBe(200);
    await expectRefusal(await perConsumer.call(consumer('acme', 'key_2')), EXHAUSTED);
  });

  it('refuses a request without a consumer 401, unless allowAnonymous lets it pass uncounted', async () => {
    const { result } = await quota({ period: 'day', requests: 1, challenge: 'ApiKey' }).check(undefined);
    await expectRefusal(result, { status: 401, slug: 'unauthorized', challenge: 'ApiKey realm="edgeway"' });

    const open = quota({ period: 'day', requests: 1, allowAnonymous: true });
    for (let i = 0; i < 3; i++) {
      const response = await open.call(undefined);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit')).toBeNull();
    }
  });

  it('follows onError when the zone fails: allow passes, deny answers 503', async () => {
    const allowed = quota({ period: 'day', requests: 1 }, throwingZone);
    const { result, ctx } = await allowed.check(consumer('alice'));
    await expectPassed(result);
    expect(ctx.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'quota zone failed' }));

    const denied = quota({ period: 'day', requests: 1, onError: 'deny' }, throwingZone);
    const refusal = (await denied.check(consumer('alice'))).result;
    await expectRefusal(refusal, { status: 503, slug: 'rate-limit-unavailable' });
    expect((refusal as Response).headers.get('retry-after')).toBe('5');
  });

  it('accepts status classes, ranges and single statuses, and nothing else', () => {
    const accepts = (countStatuses: unknown) =>
      quotaSchema.safeParse({ period: 'day', requests: 1, countStatuses }).success;
    expect(accepts(['2xx', '4xx', '200-299', '404', '100-599'])).toBe(true);
    for (const bad of [[], ['6xx'], ['2XX'], ['299-200'], ['99'], ['600'], ['200-'], ['2xx-3xx']]) {
      expect(accepts(bad)).toBe(false);
    }
  });
});
