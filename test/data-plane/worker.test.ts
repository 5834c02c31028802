import { env, exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { compileDeployment, mock, proxyTo, setHeaders } from './helpers/deployments.ts';
import { echoOf } from './helpers/echo.ts';
import { publish } from './helpers/kv.ts';

it('serves the default environment of wrangler.toml through the worker entry point', async () => {
  const deployment = await compileDeployment({
    environment: env.DEFAULT_ENVIRONMENT,
    routes: [
      { path: '/health', methods: ['GET'], handler: mock('{"status":"ok"}') },
      { path: '/echo/*', handler: proxyTo('echo') },
      { path: '/tagged/*', inbound: ['tag'], outbound: ['tag'], handler: proxyTo('echo') },
    ],
    policies: { tag: setHeaders({ set: { 'x-tag': 'edgeway' }, remove: ['x-client'] }) },
  });
  await publish(env.CONFIG, deployment);

  const health = await exports.default.fetch('http://localhost:8787/health');
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  expect(health.headers.get('edgeway-deployment')).toBe(deployment.deploymentId);

  const echo = await echoOf(
    await exports.default.fetch('http://localhost:8787/echo/hello?x=1', { method: 'POST', body: 'hi' }),
  );
  expect(echo).toMatchObject({ method: 'POST', path: '/echo/hello', query: { x: '1' }, body: 'hi' });

  // The runtime hands the worker requests, and fetch() responses, whose headers are
  // immutable; policies edit headers in place on the gateway's own copies.
  const tagged = await exports.default.fetch('http://localhost:8787/tagged/x', {
    headers: { 'x-client': 'dropped' },
  });
  expect(tagged.headers.get('x-tag')).toBe('edgeway');
  const taggedEcho = await echoOf(tagged);
  expect(taggedEcho.headers['x-tag']).toBe('edgeway');
  expect(taggedEcho.headers['x-client']).toBeUndefined();
});
