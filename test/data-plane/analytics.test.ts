/**
 * Analytics events through the gateway: each served request sends exactly one event,
 * through a recording wrapper of the test runtime's real ANALYTICS Queue producer, with
 * the fields the control plane folds (route, consumer, outcome, latencies, sizes) and
 * nothing a client sent beyond its method. A Queue that fails or never answers changes
 * nothing for the client.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsQueue } from '../../src/analytics/emitter.ts';
import { type AnalyticsEvent, parseAnalyticsEvent } from '../../src/config/analytics-event.ts';
import type { CompiledPolicy } from '../../src/config/compiled.ts';
import { hashPassword, PBKDF2_MIN_ITERATIONS } from '../../src/config/password-hash.ts';
import { basicAuthSchema } from '../../src/policies/basic-auth/schema.ts';
import { mock, proxyTo } from './helpers/deployments.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { upstreams } from './helpers/upstreams.ts';

/** The harness clock starts here (helpers/harness.ts). */
const START = 1_000_000;
const ALICE = `Basic ${btoa('alice:wonderland')}`;

interface Recorder {
  readonly sent: AnalyticsEvent[];
  readonly queue: AnalyticsQueue;
}

/** Records each event, then sends the batch on to the real producer binding (or fails, or hangs). */
function recordingQueue(behaviour: 'forward' | 'fail' | Promise<void> = 'forward'): Recorder {
  const sent: AnalyticsEvent[] = [];
  const queue: AnalyticsQueue = {
    async sendBatch(messages) {
      sent.push(...messages.map((message) => message.body));
      if (behaviour === 'fail') throw new Error('queue unavailable');
      if (behaviour !== 'forward') return behaviour;
      return env.ANALYTICS.sendBatch(messages);
    },
  };
  return { sent, queue };
}

async function deployTo(gw: Harness): Promise<string> {
  const users = { alice: await hashPassword('wonderland', PBKDF2_MIN_ITERATIONS) };
  const login: CompiledPolicy = {
    type: 'basic-auth',
    mode: 'enforce',
    options: basicAuthSchema.parse({ users }),
  };
  const deployment = await gw.deploy(
    [
      { path: '/echo/*', inbound: ['login'], handler: proxyTo('echo') },
      { path: '/open/*', handler: proxyTo('echo') },
      { path: '/watched', inbound: ['login-report'], handler: mock('fine') },
      { path: '/health', methods: ['GET'], handler: mock('ok', 200, { 'content-length': '2' }) },
      { path: '/down', handler: proxyTo('down') },
    ],
    {
      policies: { login, 'login-report': { ...login, mode: 'report' } },
      upstreams: {
        echo: { url: upstreams.echo, timeoutMs: 5_000 },
        down: { url: upstreams.unreachable, timeoutMs: 5_000 },
      },
    },
  );
  return deployment.deploymentId;
}

describe('analytics events', () => {
  const recorder = recordingQueue();
  let gw: Harness;
  let deploymentId: string;

  /** Sends one request and returns its response and the one event it produced. */
  async function served(
    path: string,
    init?: RequestInit,
  ): Promise<{ response: Response; event: AnalyticsEvent }> {
    const before = recorder.sent.length;
    const response = await gw.send(path, init);
    expect(recorder.sent.length - before).toBe(1);
    const event = recorder.sent.at(-1)!;
    expect(parseAnalyticsEvent(event)).toEqual({ ok: true, value: event });
    return { response, event };
  }

  beforeAll(async () => {
    gw = createHarness({ analytics: recorder.queue });
    deploymentId = await deployTo(gw);
  });

  it('records a proxied request with its route, consumer, latencies and sizes, and no client values', async () => {
    const body = JSON.stringify({ order: 42 });
    const { response, event } = await served('/echo/orders?api_key=sk_live_secret', {
      method: 'POST',
      body,
      headers: {
        authorization: ALICE,
        'content-type': 'application/json',
        'content-length': String(body.length),
        'x-request-id': 'trace-1',
      },
    });
    expect(response.status).toBe(200);
    expect(event).toMatchObject({
      v: 1,
      requestId: 'trace-1',
      time: START,
      environment: gw.environment,
      deploymentId,
      route: '* /echo/*',
      method: 'POST',
      status: 200,
      outcome: 'ok',
      errorClass: null,
      policy: null,
      reported: [],
      consumerId: 'alice',
      consumerName: 'alice',
      latencyMs: 0,
      upstreamLatencyMs: 0,
      bytesIn: body.length,
      // The echo upstream streams its answer (chunked), so its size is not known.
      bytesOut: null,
      colo: null,
    });
    expect(event.id).not.toBe(event.requestId);
    const text = JSON.stringify(event);
    for (const secret of [
      'sk_live_secret',
      'api_key',
      'orders',
      'wonderland',
      ALICE.slice(6),
      'application/json',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('gives every event its own id, even when clients repeat a request id', async () => {
    const first = await served('/health', { headers: { 'x-request-id': 'same' } });
    const second = await served('/health', { headers: { 'x-request-id': 'same' } });
    expect(first.event.id).not.toBe(second.event.id);
  });

  it('records an answer without an upstream: no upstream latency, no body in, a declared body out', async () => {
    const { event } = await served('/health');
    expect(event).toMatchObject({
      route: 'GET /health',
      method: 'GET',
      outcome: 'ok',
      upstreamLatencyMs: null,
      bytesIn: 0,
      bytesOut: 2,
      consumerId: null,
    });
  });

  it('records a refusal as auth-rejected with the policy that answered', async () => {
    const { response, event } = await served('/echo/orders');
    expect(response.status).toBe(401);
    expect(event).toMatchObject({
      status: 401,
      outcome: 'auth-rejected',
      policy: 'login',
      errorClass: null,
      consumerId: null,
      upstreamLatencyMs: null,
    });
  });

  it('records what a report-mode policy would have refused while the request passed', async () => {
    const { response, event } = await served('/watched');
    expect(response.status).toBe(200);
    expect(event).toMatchObject({ outcome: 'ok', policy: null, reported: ['login-report'] });
  });

  it('records a path no route matches with a null route and the problem slug', async () => {
    const { event } = await served('/nowhere/near');
    expect(event).toMatchObject({ route: null, status: 404, outcome: 'no-route', errorClass: 'no-route' });
    const wrongMethod = await served('/health', { method: 'DELETE' });
    expect(wrongMethod.event).toMatchObject({
      status: 405,
      outcome: 'no-route',
      errorClass: 'method-not-allowed',
    });
  });

  it('records an unreachable upstream as an upstream error, with the time the attempt took', async () => {
    const { event } = await served('/down');
    expect(event).toMatchObject({
      route: '* /down',
      status: 502,
      outcome: 'upstream-error',
      errorClass: 'upstream-unreachable',
      upstreamLatencyMs: 0,
    });
  });

  it('names methods a route cannot list OTHER', async () => {
    const { event } = await served('/open/thing', { method: 'PROPFIND' });
    expect(event.method).toBe('OTHER');
  });
});

describe('when the Queue misbehaves', () => {
  it('answers as usual and logs the event it could not send', async () => {
    const recorder = recordingQueue('fail');
    const gw = createHarness({ analytics: recorder.queue });
    await deployTo(gw);
    const response = await gw.send('/health');
    expect(response.status).toBe(200);
    expect(recorder.sent).toHaveLength(1);
    expect(gw.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'analytics events not sent' }),
    );
  });

  it('does not hold the response while a send has not finished', async () => {
    let release: () => void = () => {};
    const recorder = recordingQueue(new Promise<void>((resolve) => (release = resolve)));
    const gw = createHarness({ analytics: recorder.queue });
    await deployTo(gw);
    const ctx = createExecutionContext();
    const response = await gw.gateway.fetch(new Request(`http://${gw.hostname}/health`), env, ctx);
    // The send cannot finish before release(), so the answer did not wait for it.
    expect(await response.text()).toBe('ok');
    release();
    await waitOnExecutionContext(ctx);
    expect(recorder.sent).toHaveLength(1);
  });

  it('sends nothing without an ANALYTICS binding', async () => {
    const gw = createHarness();
    await deployTo(gw);
    expect((await gw.send('/health')).status).toBe(200);
    expect(gw.logs.filter((line) => line.message.includes('analytics'))).toEqual([]);
  });
});
