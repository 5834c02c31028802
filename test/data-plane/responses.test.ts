import { beforeAll, describe, expect, it } from 'vitest';
import { problemType } from '../../src/config/problem.ts';
import { mock, proxyTo } from './helpers/deployments.ts';
import { echoOf } from './helpers/echo.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { expectProblem } from './helpers/problems.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('responses the gateway makes', () => {
  let gw: Harness;
  let deploymentId: string;

  beforeAll(async () => {
    gw = createHarness();
    const deployment = await gw.deploy(
      [
        { path: '/echo/*', handler: proxyTo('echo') },
        { path: '/teapot', handler: mock('{"short":"stout"}', 418, { 'content-type': 'application/json' }) },
        { path: '/old', handler: { type: 'redirect', location: 'https://new.example/', status: 308 } },
        { path: '/broken', inbound: ['broken'], handler: mock('unreachable') },
      ],
      // Options the compiler would reject: set-headers throws on the invalid name per request.
      {
        policies: {
          broken: {
            type: 'set-headers',
            mode: 'enforce',
            options: { set: { 'bad name': 'x' }, append: {}, remove: [] },
          },
        },
      },
    );
    deploymentId = deployment.deploymentId;
  });

  it('makes every error an RFC 9457 problem with the request id', async () => {
    const response = await gw.send('/missing', { headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await expectProblem(response, 404, 'no-route')).toEqual({
      type: problemType('no-route'),
      title: 'No route',
      status: 404,
      detail: 'No route matches GET /missing.',
      requestId: 'abc-123',
    });
  });

  it('names the deployment that served every response, errors included', async () => {
    for (const path of ['/echo/x', '/teapot', '/missing', '/broken']) {
      expect((await gw.send(path)).headers.get('edgeway-deployment'), path).toBe(deploymentId);
    }
  });

  it('keeps a well-formed client request id and replaces anything else', async () => {
    const kept = await gw.send('/teapot', { headers: { 'x-request-id': 'client:trace.42_a-b' } });
    expect(kept.headers.get('x-request-id')).toBe('client:trace.42_a-b');
    for (const bad of ['has space', 'x'.repeat(129), 'quote"', '']) {
      const replaced = await gw.send('/teapot', { headers: { 'x-request-id': bad } });
      expect(replaced.headers.get('x-request-id'), bad).toMatch(UUID);
    }
    expect((await gw.send('/teapot')).headers.get('x-request-id')).toMatch(UUID);
  });

  it('serves mock and redirect handlers', async () => {
    const teapot = await gw.send('/teapot');
    expect(teapot.status).toBe(418);
    expect(teapot.headers.get('content-type')).toBe('application/json');
    expect(await teapot.json()).toEqual({ short: 'stout' });
    const old = await gw.send('/old');
    expect(old.status).toBe(308);
    expect(old.headers.get('location')).toBe('https://new.example/');
  });

  it('routes and forwards the normalised path', async () => {
    const cases = [
      ['/echo/a/../b/./c', '/echo/b/c'],
      ['/echo//a///b', '/echo/a/b'],
      ['/echo/%7euser/%41%62c', '/echo/~user/Abc'],
      ['/echo/caf%c3%a9', '/echo/caf%C3%A9'],
      ['/echo/x/%2e%2e/y', '/echo/y'],
    ];
    for (const [sent, forwarded] of cases) {
      expect((await echoOf(await gw.send(sent!))).path, sent).toBe(forwarded);
    }
    const rewritten = await echoOf(await gw.send('/echo//post?x=1', { method: 'POST', body: 'kept' }));
    expect(rewritten).toMatchObject({ method: 'POST', path: '/echo/post', query: { x: '1' }, body: 'kept' });
  });

  it('rejects an encoded slash, backslash, NUL or a malformed escape with 400 invalid-path', async () => {
    for (const path of ['/echo/a%2Fb', '/echo/a%5cb', '/echo/a%00', '/echo/a%zz']) {
      await expectProblem(await gw.send(path), 400, 'invalid-path');
    }
  });

  it('turns an unexpected exception into a logged 500 problem that leaks nothing', async () => {
    const response = await gw.send('/broken', { headers: { 'x-request-id': 'boom-1' } });
    const problem = await expectProblem(response, 500, 'internal-error');
    expect(JSON.stringify(problem)).not.toMatch(/header|bad name|TypeError/i);
    const logged = gw.logs.find(
      (line) => line.message === 'unhandled error' && line.fields.requestId === 'boom-1',
    );
    expect(String(logged?.fields.error)).toMatch(/header/i);
  });
});
