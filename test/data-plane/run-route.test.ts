import { describe, expect, it } from 'vitest';
import { RequestContext } from '../../src/pipeline/context.ts';
import { runRoute } from '../../src/pipeline/run-route.ts';
import type { Handler, LoadedRoute, PolicyStep } from '../../src/pipeline/types.ts';
import type { InboundPolicy, Logger, OutboundPolicy } from '../../src/policies/contract.ts';
import { compileRoute, mock } from './helpers/deployments.ts';
import type { LogLine } from './helpers/harness.ts';

const compiled = compileRoute({ path: '/x', handler: mock('') }, 0);

function tagRequest(tag: string): InboundPolicy {
  return async (request) => {
    const headers = new Headers(request.headers);
    headers.append('x-trail', tag);
    return new Request(request, { headers });
  };
}

function tagResponse(tag: string): OutboundPolicy {
  return async (response) => {
    const headers = new Headers(response.headers);
    headers.append('x-trail', tag);
    return new Response(response.body, { status: response.status, headers });
  };
}

const reject: InboundPolicy = async () => new Response('denied', { status: 403 });

const enforce = <R>(name: string, run: R): PolicyStep<R> => ({ name, mode: 'enforce', run });
const report = <R>(name: string, run: R): PolicyStep<R> => ({ name, mode: 'report', run });

/** Echoes the request's x-trail and body. */
const echoHandler: Handler = async (request) =>
  new Response(await request.text(), { headers: { 'x-seen': request.headers.get('x-trail') ?? '' } });

async function run(route: Partial<LoadedRoute>, request = new Request('https://gw.example/x')) {
  const logs: LogLine[] = [];
  const log: Logger = {
    info: (message, fields = {}) => logs.push({ level: 'info', message, fields }),
    warn: (message, fields = {}) => logs.push({ level: 'warn', message, fields }),
    error: (message, fields = {}) => logs.push({ level: 'error', message, fields }),
  };
  const scope = { requestId: 'req-1', env: {}, log, now: () => 0, waitUntil: () => {} };
  const loaded: LoadedRoute = { route: compiled, inbound: [], outbound: [], handler: echoHandler, ...route };
  const result = await runRoute(loaded, request, new RequestContext(scope, compiled, {}));
  return { ...result, logs };
}

describe('runRoute', () => {
  it('runs inbound policies, the handler, then outbound policies, each in order', async () => {
    const { response, outcomes } = await run({
      inbound: [enforce('one', tagRequest('in-1')), enforce('two', tagRequest('in-2'))],
      outbound: [enforce('three', tagResponse('out-1')), enforce('four', tagResponse('out-2'))],
    });
    expect(response.headers.get('x-seen')).toBe('in-1, in-2');
    expect(response.headers.get('x-trail')).toBe('out-1, out-2');
    expect(outcomes).toEqual([]);
  });

  it('stops at an inbound response, skips the handler and still runs outbound policies', async () => {
    let handled = false;
    const { response, outcomes } = await run({
      inbound: [enforce('deny', reject), enforce('later', tagRequest('never'))],
      handler: async () => {
        handled = true;
        return new Response();
      },
      outbound: [enforce('tag', tagResponse('out'))],
    });
    expect(handled).toBe(false);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-trail')).toBe('out');
    expect(outcomes).toEqual([
      { policy: 'deny', phase: 'inbound', mode: 'enforce', result: 'respond', status: 403 },
    ]);
  });

  it('records a report-mode policy and discards its effect', async () => {
    const { response, outcomes, logs } = await run({
      inbound: [
        report('would-deny', reject),
        report('would-tag', tagRequest('reported')),
        enforce('tag', tagRequest('kept')),
      ],
      outbound: [report('would-tag-response', tagResponse('reported'))],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-seen')).toBe('kept');
    expect(response.headers.get('x-trail')).toBeNull();
    expect(outcomes).toEqual([
      { policy: 'would-deny', phase: 'inbound', mode: 'report', result: 'respond', status: 403 },
      { policy: 'would-tag', phase: 'inbound', mode: 'report', result: 'continue' },
      { policy: 'would-tag-response', phase: 'outbound', mode: 'report', result: 'continue', status: 200 },
    ]);
    const reported = logs.filter((line) => line.message === 'report-mode policy outcome');
    expect(reported.map((line) => [line.fields.requestId, line.fields.policy])).toEqual([
      ['req-1', 'would-deny'],
      ['req-1', 'would-tag'],
      ['req-1', 'would-tag-response'],
    ]);
  });

  it('keeps the request body for the handler when a report-mode policy consumes its copy', async () => {
    const readsBody: InboundPolicy = async (request) => {
      await request.text();
      return request;
    };
    const request = new Request('https://gw.example/x', { method: 'POST', body: 'payload' });
    const { response } = await run(
      { inbound: [report('reads-body', readsBody), report('tags', tagRequest('x'))] },
      request,
    );
    expect(await response.text()).toBe('payload');
  });

  it('records a report-mode policy that throws and carries on', async () => {
    const broken: InboundPolicy = async () => {
      throw new Error('boom');
    };
    const { response, outcomes, logs } = await run({ inbound: [report('broken', broken)] });
    expect(response.status).toBe(200);
    expect(outcomes).toEqual([{ policy: 'broken', phase: 'inbound', mode: 'report', result: 'error' }]);
    expect(logs.some((line) => line.level === 'warn' && line.fields.policy === 'broken')).toBe(true);
  });

  it('lets an enforcing policy that throws fail the request', async () => {
    const broken: OutboundPolicy = async () => {
      throw new Error('boom');
    };
    await expect(run({ outbound: [enforce('broken', broken)] })).rejects.toThrow('boom');
  });
});
