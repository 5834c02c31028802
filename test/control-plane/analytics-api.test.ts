/**
 * The analytics API over rollups the real Queue consumer folded: overview totals, error
 * rate and percentiles (within one latency bucket of the exact value on known data), the
 * time series and deployment markers, breakdowns by route, consumer and status, the
 * filters, the recent-request log, who may read it, and the 400 problems for bad input.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bucketOf } from '../../control-plane/src/analytics/latency-buckets.ts';
import type { AnalyticsEvent } from '../../src/config/analytics-event.ts';
import { sampleEvent } from '../support/analytics-events.ts';
import { deliver, messagesOf } from './analytics-support.ts';
import { tokenFor } from './consumer-support.ts';
import { callJson, deployLive, type JsonBody, uniqueEnvironment } from './support.ts';

const MINUTE = 60_000;
const environment = uniqueEnvironment('traffic');
let events: AnalyticsEvent[];
let deploymentId: string;

/** Latencies 1..100 ms; every 10th a 500, then a 429, a 401; even ones from one consumer. */
function knownTraffic(now: number): AnalyticsEvent[] {
  return Array.from({ length: 100 }, (_, index) => {
    const i = index + 1;
    const [status, outcome] =
      i % 10 === 0
        ? [500, 'upstream-error']
        : i % 10 === 5
          ? [429, 'rate-limited']
          : i % 10 === 7
            ? [401, 'auth-rejected']
            : [200, 'ok'];
    return sampleEvent({
      environment,
      time: now - (i % 30) * MINUTE - 1_000,
      route: i % 2 === 1 ? 'GET /a' : 'POST /b',
      status,
      outcome,
      latencyMs: i,
      upstreamLatencyMs: i - 1,
      consumerId: i % 2 === 0 ? 'con_even' : null,
      consumerName: i % 2 === 0 ? 'even' : null,
    });
  });
}

const analytics = (query: string, token?: string) =>
  callJson(`/api/v1/analytics/${query}`, token ? { token } : {});

function expectPercentilesNear(latency: JsonBody, exact: { p50: number; p95: number; p99: number }) {
  for (const key of ['p50', 'p95', 'p99'] as const) expect(bucketOf(latency[key])).toBe(bucketOf(exact[key]));
}

beforeAll(async () => {
  deploymentId = (await deployLive(environment)).id;
  events = knownTraffic(Date.now());
  await deliver(messagesOf(events.slice(0, 60)));
  await deliver(messagesOf(events.slice(60)));
});

describe('GET /api/v1/analytics/overview', () => {
  it('totals the range with the error rate and percentiles from the merged histograms', async () => {
    for (const range of ['1h', '24h', '7d', '30d']) {
      const { status, body } = await analytics(`overview?environment=${environment}&range=${range}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ environment, range });
      expect(body.totals).toMatchObject({
        requests: 100,
        errors: 10,
        errorRate: 0.1,
        clientErrors: 20,
        rateLimited: 10,
        authRejected: 10,
        reportedRefusals: 0,
        upstreamLatencyMs: { mean: 49.5 },
      });
      expect(body.totals.latencyMs).toMatchObject({ mean: 50.5, max: 100 });
      expectPercentilesNear(body.totals.latencyMs, { p50: 50, p95: 95, p99: 99 });
    }
  });

  it('answers a series with a point per step and the deployments made in the range', async () => {
    const { body } = await analytics(`overview?environment=${environment}&range=1h`);
    expect(body.stepSeconds).toBe(60);
    expect(body.series).toHaveLength(60);
    expect(body.series[0].time).toBe(body.from);
    const perMinute = body.series.map((point: JsonBody) => point.requests);
    expect(perMinute.reduce((a: number, b: number) => a + b, 0)).toBe(100);
    expect(perMinute.filter((count: number) => count > 0).length).toBe(30);
    expect(body.series.find((point: JsonBody) => point.requests === 0).latencyMs).toBeNull();
    expect(body.deployments).toEqual([expect.objectContaining({ id: deploymentId, status: 'live' })]);

    const day = await analytics(`overview?environment=${environment}&range=24h`);
    expect([day.body.stepSeconds, day.body.series.length]).toEqual([900, 96]);
    const month = await analytics(`overview?environment=${environment}&range=30d`);
    expect([month.body.stepSeconds, month.body.series.length]).toEqual([21_600, 120]);
  });

  it('narrows to one route or one consumer', async () => {
    const route = await analytics(
      `overview?environment=${environment}&range=1h&route=${encodeURIComponent('GET /a')}`,
    );
    expect(route.body.totals).toMatchObject({ requests: 50, errors: 0, rateLimited: 10, authRejected: 10 });
    const odd = events.filter((event) => event.route === 'GET /a').map((event) => event.latencyMs);
    expectPercentilesNear(route.body.totals.latencyMs, { p50: odd[24]!, p95: odd[47]!, p99: odd[49]! });
    const consumer = await analytics(`overview?environment=${environment}&range=1h&consumer=con_even`);
    expect(consumer.body.totals).toMatchObject({ requests: 50, errors: 10 });
  });

  it('answers zeros for an environment without traffic', async () => {
    const { body } = await analytics('overview?environment=quiet&range=1h');
    expect(body.totals).toMatchObject({
      requests: 0,
      errorRate: 0,
      latencyMs: null,
      upstreamLatencyMs: null,
    });
    expect(body.series).toHaveLength(60);
    expect(body.deployments).toEqual([]);
  });
});

describe('GET /api/v1/analytics/breakdown', () => {
  it('groups by route, consumer or status code, busiest first', async () => {
    const byRoute = await analytics(`breakdown?environment=${environment}&range=24h&by=route`);
    expect(byRoute.status).toBe(200);
    expect(byRoute.body.rows.map((row: JsonBody) => [row.key, row.requests, row.errors])).toEqual([
      ['GET /a', 50, 0],
      ['POST /b', 50, 10],
    ]);
    expectPercentilesNear(byRoute.body.rows[1].latencyMs, { p50: 50, p95: 96, p99: 100 });

    const byConsumer = await analytics(`breakdown?environment=${environment}&range=7d&by=consumer`);
    expect(byConsumer.body.rows.map((row: JsonBody) => [row.key, row.name, row.requests])).toEqual([
      [null, undefined, 50],
      ['con_even', 'even', 50],
    ]);

    const byStatus = await analytics(`breakdown?environment=${environment}&range=1h&by=status&limit=2`);
    expect(byStatus.body.rows.map((row: JsonBody) => [row.key, row.requests])).toEqual([
      [200, 70],
      [401, 10],
    ]);
  });
});

describe('GET /api/v1/analytics/requests', () => {
  it('lists the newest events first', async () => {
    const { status, body } = await analytics(`requests?environment=${environment}&limit=5`);
    expect(status).toBe(200);
    const newest = [...events].sort((a, b) => b.time - a.time || (b.id < a.id ? -1 : 1)).slice(0, 5);
    expect(body.requests).toEqual(newest);
  });
});

describe('access and input', () => {
  it('lets a viewer read and refuses a caller without a token', async () => {
    const viewer = await tokenFor('viewer');
    expect((await analytics(`overview?environment=${environment}`, viewer)).status).toBe(200);
    expect((await callJson('/api/v1/analytics/requests', { token: null })).status).toBe(401);
  });

  it('answers 400 naming each bad parameter', async () => {
    const cases = [
      ['overview?range=2d', '/range'],
      ['overview?environment=Not_An_Env', '/environment'],
      ['breakdown?range=1h', '/by'],
      ['breakdown?by=colour', '/by'],
      ['breakdown?by=route&limit=1000', '/limit'],
      ['requests?limit=0', '/limit'],
    ] as const;
    for (const [query, path] of cases) {
      const { status, body } = await analytics(query);
      expect(status, query).toBe(400);
      expect(body).toMatchObject({ type: 'https://edgeway.dev/problems/invalid-request' });
      expect(body.errors).toEqual([expect.objectContaining({ in: 'query', path })]);
    }
  });
});
