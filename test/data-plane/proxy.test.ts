import { beforeAll, describe, expect, it } from 'vitest';
import { proxyTo } from './helpers/deployments.ts';
import { echoOf } from './helpers/echo.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import { expectProblem } from './helpers/problems.ts';
import { upstreams } from './helpers/upstreams.ts';

describe('proxying to a real upstream', () => {
  let gw: Harness;

  beforeAll(async () => {
    gw = createHarness();
    await gw.deploy(
      [
        { path: '/echo/*', handler: proxyTo('echo') },
        { path: '/hop-by-hop', handler: proxyTo('quirky') },
        { path: '/no-content', handler: proxyTo('quirky') },
        { path: '/redirect', handler: proxyTo('quirky') },
        { path: '/slow', handler: proxyTo('impatient') },
        { path: '/down', handler: proxyTo('down') },
      ],
      {
        upstreams: {
          echo: { url: `${upstreams.echo}/base`, timeoutMs: 5_000 },
          quirky: { url: upstreams.quirky, timeoutMs: 5_000 },
          impatient: { url: upstreams.quirky, timeoutMs: 100 },
          down: { url: upstreams.unreachable, timeoutMs: 5_000 },
        },
      },
    );
  });

  it('forwards method, upstream base path, normalised path and query', async () => {
    const echo = await echoOf(await gw.send('/echo/a/b?q=1&r=two%20words', { method: 'PUT', body: '' }));
    expect(echo).toMatchObject({ method: 'PUT', path: '/base/echo/a/b', query: { q: '1', r: 'two words' } });
  });

  it('streams a request body through', async () => {
    const chunk = 'x'.repeat(16 * 1024);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const echo = await echoOf(await gw.send('/echo/upload', { method: 'POST', body }));
    expect(echo.bodyBytes).toBe(4 * chunk.length);
    expect(echo.headers['content-length']).toBeUndefined();
  });

  it('strips hop-by-hop headers and those named in Connection from the request', async () => {
    const echo = await echoOf(
      await gw.send('/echo/hop', {
        headers: {
          connection: 'x-private, close',
          'x-private': 'secret',
          'keep-alive': 'timeout=5',
          'proxy-authorization': 'Basic abc',
          'proxy-connection': 'keep-alive',
          te: 'trailers',
          trailer: 'x-checksum',
          upgrade: 'websocket',
          'x-kept': 'yes',
        },
      }),
    );
    for (const name of [
      'connection',
      'x-private',
      'keep-alive',
      'proxy-authorization',
      'proxy-connection',
      'te',
      'trailer',
      'upgrade',
    ]) {
      expect(echo.headers[name], name).toBeUndefined();
    }
    expect(echo.headers['x-kept']).toBe('yes');
  });

  it('strips hop-by-hop headers and those named in Connection from the response', async () => {
    const response = await gw.send('/hop-by-hop');
    expect(response.status).toBe(200);
    for (const name of [
      'connection',
      'x-upstream-private',
      'keep-alive',
      'proxy-authenticate',
      'proxy-connection',
      'upgrade',
      'trailer',
    ]) {
      expect(response.headers.get(name), name).toBeNull();
    }
    expect(response.headers.get('x-kept')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe('hop-by-hop');
  });

  it('ignores forwarding headers from the client and states its own', async () => {
    const echo = await echoOf(
      await gw.send(`https://${gw.hostname}/echo/who`, {
        headers: {
          'cf-connecting-ip': '203.0.113.7',
          'x-forwarded-for': '10.0.0.1',
          'x-forwarded-host': 'evil.example',
          'x-forwarded-proto': 'http',
          'x-forwarded-port': '1',
          'x-real-ip': '10.0.0.2',
          forwarded: 'for=10.0.0.3',
        },
      }),
    );
    expect(echo.headers).toMatchObject({
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-host': gw.hostname,
      'x-forwarded-proto': 'https',
    });
    expect(echo.headers['x-forwarded-port']).toBeUndefined();
    expect(echo.headers['x-real-ip']).toBeUndefined();
    expect(echo.headers.forwarded).toBeUndefined();
    expect(echo.headers.host).toBe(new URL(upstreams.echo).host);
  });

  it('omits X-Forwarded-For without CF-Connecting-IP and keeps the client Host with its port', async () => {
    const echo = await echoOf(
      await gw.send('/echo/who', { headers: { 'x-forwarded-for': '10.0.0.1', host: `${gw.hostname}:8443` } }),
    );
    expect(echo.headers['x-forwarded-for']).toBeUndefined();
    expect(echo.headers['x-forwarded-host']).toBe(`${gw.hostname}:8443`);
  });

  it('sends the request id upstream and returns it', async () => {
    const response = await gw.send('/echo/id', { headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    expect((await echoOf(response)).headers['x-request-id']).toBe('trace-123');
  });

  it('passes a bodiless upstream status through', async () => {
    const response = await gw.send('/no-content');
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('passes an upstream redirect to the client instead of following it', async () => {
    const response = await gw.send('/redirect');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://elsewhere.example/');
  });

  it('answers 504 upstream-timeout when the upstream is too slow to answer', async () => {
    const problem = await expectProblem(await gw.send('/slow'), 504, 'upstream-timeout');
    expect(problem.detail).toBe('The upstream did not start responding within 100 ms.');
    expect(
      gw.logs.some((line) => line.message === 'upstream timed out' && line.fields.upstream === 'impatient'),
    ).toBe(true);
  });

  it('answers 502 upstream-unreachable when the upstream refuses the connection', async () => {
    const response = await gw.send('/down', { headers: { 'x-request-id': 'down-1' } });
    await expectProblem(response, 502, 'upstream-unreachable');
    const logged = gw.logs.find((line) => line.message === 'upstream unreachable');
    expect(logged?.fields).toMatchObject({ upstream: 'down', requestId: 'down-1' });
  });
});
