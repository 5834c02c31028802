/**
 * rate-limit and quota through the gateway, against the real rate-limit zone: the 429
 * problem with Retry-After and the RateLimit fields, the fields on admitted responses,
 * several limits on one route, the client IP taken from CF-Connecting-IP only, report
 * mode (counts, never refuses), strict and async mode under concurrent load (the async
 * overshoot bound), and a quota behind basic-auth that counts only the statuses it is given.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledPolicy } from '../../src/config/compiled.ts';
import { hashPassword, PBKDF2_MIN_ITERATIONS } from '../../src/config/password-hash.ts';
import { basicAuthSchema } from '../../src/policies/basic-auth/schema.ts';
import { quotaSchema } from '../../src/policies/quota/schema.ts';
import { rateLimitSchema } from '../../src/policies/rate-limit/schema.ts';
import { mock, proxyTo } from './helpers/deployments.ts';
import { echoOf } from './helpers/echo.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { expectProblem } from './helpers/problems.ts';
import { ZoneClock } from './helpers/zones.ts';

const CLIENT = { 'cf-connecting-ip': '203.0.113.7' };

function rateLimit(
  options: Record<string, unknown>,
  mode: CompiledPolicy['mode'] = 'enforce',
): CompiledPolicy {
  return { type: 'rate-limit', mode, options: rateLimitSchema.parse(options) };
}

/** A gateway whose `/limited/*` route proxies to the echo upstream behind the `limit` policy, both ways. */
async function limitedGateway(limit: CompiledPolicy): Promise<Harness> {
  const gw = createHarness({ clock: new ZoneClock() });
  await gw.deploy(
    [{ path: '/limited/*', inbound: ['limit'], outbound: ['limit'], handler: proxyTo('echo') }],
    { policies: { limit } },
  );
  return gw;
}

/** The effective window `t` of a RateLimit field, checked against the field's shape. */
function resetSeconds(field: string | null, name: string, remaining: number): number {
  const match = new RegExp(`^"${name}";r=${remaining};t=(\\d+)$`).exec(field ?? '');
  expect(match, `RateLimit: ${field}`).not.toBeNull();
  return Number(match![1]);
}

describe('rate-limit through the gateway', () => {
  it('admits the limit with the RateLimit fields, then answers 429 problem+json with Retry-After', async () => {
    const gw = await limitedGateway(rateLimit({ limits: [{ requests: 2, window: '1m' }] }));
    for (const remaining of [1, 0]) {
      const response = await gw.send('/limited/orders', { headers: CLIENT });
      await echoOf(response);
      expect(response.headers.get('ratelimit-policy')).toBe('"2-per-1m";q=2;w=60');
      expect(resetSeconds(response.headers.get('ratelimit'), '2-per-1m', remaining)).toBeLessThanOrEqual(60);
    }

    const refused = await gw.send('/limited/orders', { headers: CLIENT });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(refused.headers.get('ratelimit-policy')).toBe('"2-per-1m";q=2;w=60');
    expect(resetSeconds(refused.headers.get('ratelimit'), '2-per-1m', 0)).toBe(retryAfter);
    const problem = await expectProblem(refused, 429, 'rate-limited');
    expect(problem.detail).toBe(`This client has made too many requests; retry in ${retryAfter} seconds.`);
  });

  it('holds every limit of a route, and shows the most restrictive', async () => {
    const limits = [
      { requests: 5, window: '1m' },
      { requests: 2, window: '1h' },
    ];
    const gw = await limitedGateway(rateLimit({ limits }));
    const first = await gw.send('/limited/a', { headers: CLIENT });
    expect(first.headers.get('ratelimit-policy')).toBe('"5-per-1m";q=5;w=60, "2-per-1h";q=2;w=3600');
    expect(resetSeconds(first.headers.get('ratelimit'), '2-per-1h', 1)).toBeLessThanOrEqual(3_600);
    expect((await gw.send('/limited/b', { headers: CLIENT })).status).toBe(200);
    await expectProblem(await gw.send('/limited/c', { headers: CLIENT }), 429, 'rate-limited');
  });

  it('keys on CF-Connecting-IP: spoofed X-Forwarded-For and X-Real-IP share its count', async () => {
    const gw = await limitedGateway(rateLimit({ limits: [{ requests: 2, window: '1m' }] }));
    const spoofed = [
      { ...CLIENT, 'x-forwarded-for': '198.51.100.1' },
      { ...CLIENT, 'x-real-ip': '198.51.100.2' },
      { ...CLIENT, 'x-forwarded-for': '198.51.100.3', 'x-real-ip': '198.51.100.4' },
    ];
    const statuses = [];
    for (const headers of spoofed) statuses.push((await gw.send('/limited/x', { headers })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const claimingOther = await gw.send('/limited/x', {
      headers: { ...CLIENT, 'x-forwarded-for': '203.0.113.8' },
    });
    expect(claimingOther.status).toBe(429);
    const otherClient = await gw.send('/limited/x', { headers: { 'cf-connecting-ip': '203.0.113.8' } });
    expect(otherClient.status).toBe(200);
  });

  it('in report mode counts what it admits and records what it would refuse, but never refuses or adds fields', async () => {
    const gw = await limitedGateway(rateLimit({ limits: [{ requests: 1, window: '1h' }] }, 'report'));
    for (let i = 0; i < 3; i++) {
      const response = await gw.send('/limited/r', { headers: CLIENT });
      await echoOf(response);
      expect(response.headers.get('ratelimit')).toBeNull();
      expect(response.headers.get('ratelimit-policy')).toBeNull();
      expect(response.headers.get('retry-after')).toBeNull();
    }
    const inbound = gw.logs
      .filter((line) => line.message === 'report-mode policy outcome' && line.fields.phase === 'inbound')
      .map((line) => [line.fields.result, line.fields.status]);
    expect(inbound).toEqual([
      ['continue', undefined],
      ['respond', 429],
      ['respond', 429],
    ]);
  });
});

/** Requests admitted when `clients` callers each send `perClient` requests back to back. */
async function admittedUnderLoad(gw: Harness, clients: number, perClient: number): Promise<number> {
  let admitted = 0;
  const client = async () => {
    for (let i = 0; i < perClient; i++) {
      const response = await gw.send('/limited/load', { headers: CLIENT });
      await response.arrayBuffer();
      if (response.status === 200) admitted++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return admitted;
}

describe('rate-limit under concurrent load on one isolate', () => {
  const LIMIT = 20;
  const limits = [{ requests: LIMIT, window: '1h' }];

  // docs/policies/rate-limit.md quotes what this admits in async mode, as the overshoot bound.
  for (const clients of [1, 4, 16, 64]) {
    it(`admits exactly the limit in strict mode, and in async mode at most the limit plus the requests in flight less one (${clients} clients)`, async () => {
      const strict = await limitedGateway(rateLimit({ limits }));
      expect(await admittedUnderLoad(strict, clients, Math.ceil(200 / clients))).toBe(LIMIT);
      const async = await limitedGateway(rateLimit({ limits, mode: 'async' }));
      const admitted = await admittedUnderLoad(async, clients, Math.ceil(200 / clients));
      expect(admitted).toBeGreaterThanOrEqual(LIMIT);
      expect(admitted).toBeLessThanOrEqual(LIMIT + clients - 1);
    });
  }
});

describe('quota through the gateway', () => {
  let gw: Harness;
  const alice = `Basic ${btoa('alice:wonderland')}`;

  beforeAll(async () => {
    gw = createHarness({ clock: new ZoneClock() });
    const users = { alice: await hashPassword('wonderland', PBKDF2_MIN_ITERATIONS) };
    const routes = ['/ok', '/missing'].map((path) => ({
      path,
      inbound: ['login', 'allowance'],
      outbound: ['allowance'],
      handler: path === '/ok' ? mock('fine') : mock('no such thing', 404),
    }));
    await gw.deploy(routes, {
      policies: {
        login: { type: 'basic-auth', mode: 'enforce', options: basicAuthSchema.parse({ users }) },
        allowance: {
          type: 'quota',
          mode: 'enforce',
          options: quotaSchema.parse({ period: 'month', requests: 2 }),
        },
      },
    });
  });

  it('counts only 2xx responses, shows what is left, and refuses once the allowance is used', async () => {
    const send = (path: string) => gw.send(path, { headers: { authorization: alice } });
    for (let i = 0; i < 3; i++) {
      const missing = await send('/missing');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('ratelimit')).toMatch(/^"2-per-month";r=2;t=\d+$/);
    }
    const first = await send('/ok');
    expect(first.headers.get('ratelimit-policy')).toMatch(
      /^"2-per-month";q=2;w=(2419200|2505600|2592000|2678400)$/,
    );
    expect(first.headers.get('ratelimit')).toMatch(/;r=1;/);
    expect((await send('/ok')).headers.get('ratelimit')).toMatch(/;r=0;/);

    for (const path of ['/ok', '/missing']) {
      const refused = await send(path);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      await expectProblem(refused, 429, 'quota-exhausted');
    }
  });
});
