import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { mock, uniqueName } from './helpers/deployments.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { mapHost } from './helpers/kv.ts';
import { expectProblem } from './helpers/problems.ts';

describe('routing through the gateway', () => {
  let gw: Harness;
  const apiHost = `${uniqueName('api')}.example`;

  beforeAll(async () => {
    gw = createHarness();
    await mapHost(env.CONFIG, apiHost, gw.environment);
    await gw.deploy([
      { path: '/users/me', methods: ['GET'], handler: mock('users/me') },
      { path: '/users/:id', methods: ['GET', 'PUT'], handler: mock('users/:id') },
      { path: '/users/:id/*', methods: ['GET'], handler: mock('users/:id/*') },
      { path: '/orders', methods: ['POST'], handler: mock('orders POST') },
      { path: '/orders', methods: ['GET'], handler: mock('orders GET') },
      { path: '/status', host: apiHost, handler: mock('api status') },
      { path: '/status', handler: mock('status') },
      { path: '/internal', host: apiHost, handler: mock('internal') },
    ]);
  });

  const body = async (response: Response) => [response.status, await response.text()];

  it('prefers static to parameter to wildcard', async () => {
    expect(await body(await gw.send('/users/me'))).toEqual([200, 'users/me']);
    expect(await body(await gw.send('/users/42'))).toEqual([200, 'users/:id']);
    expect(await body(await gw.send('/users/42/a/b'))).toEqual([200, 'users/:id/*']);
  });

  it('answers HEAD where GET is allowed, without a body', async () => {
    const response = await gw.send('/users/me', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('picks the route that allows the method among routes on one path', async () => {
    expect(await body(await gw.send('/orders', { method: 'POST' }))).toEqual([200, 'orders POST']);
    expect(await body(await gw.send('/orders'))).toEqual([200, 'orders GET']);
  });

  it('serves host-limited routes only on their host, ignoring case and port', async () => {
    expect(await body(await gw.send(`http://${apiHost}/status`))).toEqual([200, 'api status']);
    const shouted = { headers: { host: `${apiHost.toUpperCase()}:8443` } };
    expect(await body(await gw.send('/status', shouted))).toEqual([200, 'api status']);
    expect(await body(await gw.send('/status'))).toEqual([200, 'status']);
    await expectProblem(await gw.send('/internal'), 404, 'no-route');
  });

  it('answers 404 no-route as a problem', async () => {
    const problem = await expectProblem(await gw.send('/nowhere', { method: 'DELETE' }), 404, 'no-route');
    expect(problem.detail).toBe('No route matches DELETE /nowhere.');
  });

  it('answers 405 with an Allow header listing the methods of every route on the path', async () => {
    const response = await gw.send('/orders', { method: 'DELETE' });
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    await expectProblem(response, 405, 'method-not-allowed');

    const users = await gw.send('/users/7', { method: 'POST' });
    expect(users.headers.get('allow')).toBe('GET, HEAD, PUT');
    await expectProblem(users, 405, 'method-not-allowed');
  });
});
