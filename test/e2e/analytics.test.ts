/**
 * Analytics for real: requests through the data plane under wrangler dev reach the
 * control plane (another wrangler dev process) through the edgeway-analytics Queue, by
 * the local dev registry, and show up in the analytics API: each request in the recent
 * log, and counted in the overview and the breakdown by route, within a bounded time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, waitUntilServing } from '../../scripts/lib/local-stack.ts';
import { eventually } from './support/data-plane.ts';
import { deployToProduction, startTestStack } from './support/stack.ts';

/** Queue batches wait up to a second (max_batch_timeout); the rest is slack for the processes. */
const ARRIVAL_TIMEOUT_MS = 20_000;
let stack: LocalStack;

const config = (upstream: string) => `version: 1
upstreams:
  demo: { url: "${upstream}" }
routes:
  - path: /echo/*
    upstream: demo
  - path: /health
    methods: [GET]
    mock: { status: 200, body: ok }
`;

// biome-ignore lint/suspicious/noExplicitAny: the assertions are the type check
async function analytics(query: string): Promise<any> {
  const response = await fetch(`${stack.controlUrl}/api/v1/analytics/${query}`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  expect(response.status).toBe(200);
  return response.json();
}

beforeAll(async () => {
  stack = await startTestStack('analytics');
  await waitUntilServing(
    stack.dataUrl,
    await deployToProduction(stack, config(stack.upstreamUrl), 'analytics'),
  );
});

afterAll(async () => {
  await stack?.stop();
});

describe('analytics end to end', () => {
  it('shows requests through the data plane in the analytics API', async () => {
    const requestIds: string[] = [];
    for (const path of ['/echo/one', '/echo/two?secret=s3cr3t', '/health', '/nowhere']) {
      const response = await fetch(`${stack.dataUrl}${path}`);
      await response.arrayBuffer();
      requestIds.push(response.headers.get('x-request-id')!);
    }

    const recent = await eventually(async () => {
      const body = await analytics('requests?environment=production&limit=500');
      const seen = new Set(body.requests.map((event: { requestId: string }) => event.requestId));
      return requestIds.every((id) => seen.has(id)) ? body.requests : undefined;
    }, ARRIVAL_TIMEOUT_MS);
    const byRequest = new Map(recent.map((event: { requestId: string }) => [event.requestId, event]));
    expect(byRequest.get(requestIds[0])).toMatchObject({ route: '* /echo/*', status: 200, outcome: 'ok' });
    expect(byRequest.get(requestIds[3])).toMatchObject({ route: null, status: 404, outcome: 'no-route' });
    expect(JSON.stringify(recent)).not.toContain('s3cr3t');

    const overview = await analytics('overview?environment=production&range=1h');
    expect(overview.totals.requests).toBeGreaterThanOrEqual(requestIds.length);
    expect(overview.totals.latencyMs).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number) });
    const byRoute = await analytics('breakdown?environment=production&range=1h&by=route');
    expect(byRoute.rows).toContainEqual(expect.objectContaining({ key: '* /echo/*', requests: 2 }));
  });
});
