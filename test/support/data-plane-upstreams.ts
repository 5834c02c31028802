/**
 * Global setup of the data-plane tests: real HTTP upstreams on loopback for the gateway
 * in workerd to proxy to. The demo upstream echoes requests; the quirky one answers
 * with what a proxy must not pass on, or too late.
 *
 *   /hop-by-hop   200 carrying hop-by-hop fields, a field named in Connection, two cookies
 *   /no-content   204
 *   /redirect     302 to another origin (a proxy passes it on, it does not follow it)
 *   /slow         answers after SLOW_MS (tests give their route a shorter timeout)
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startDemoUpstream } from '../../examples/demo-upstream/server.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import type {} from './upstream-urls.ts';

const SLOW_MS = 2_000;

function quirkyAnswer(path: string, response: ServerResponse): void {
  if (path === '/hop-by-hop') {
    response.writeHead(200, [
      ['content-type', 'text/plain'],
      ['connection', 'x-upstream-private'],
      ['x-upstream-private', 'secret'],
      ['keep-alive', 'timeout=5'],
      ['proxy-authenticate', 'Basic realm="upstream"'],
      ['proxy-connection', 'keep-alive'],
      ['upgrade', 'h2c'],
      ['trailer', 'x-checksum'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-kept', 'yes'],
    ]);
    response.end('hop-by-hop');
  } else if (path === '/no-content') {
    response.writeHead(204).end();
  } else if (path === '/redirect') {
    response.writeHead(302, { location: 'https://elsewhere.example/' }).end();
  } else if (path === '/slow') {
    const timer = setTimeout(() => response.writeHead(200).end('finally'), SLOW_MS);
    response.on('close', () => clearTimeout(timer));
  } else {
    response.writeHead(404).end();
  }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const echo = await startDemoUpstream({ name: 'echo' });
  const quirky = createServer((request, response) => {
    request.resume();
    request.on('end', () =>
      quirkyAnswer(new URL(request.url ?? '/', 'http://quirky.invalid').pathname, response),
    );
  });
  const unreachable = `http://127.0.0.1:${await freePort()}`;
  project.provide('dataPlaneUpstreams', { echo: echo.url, quirky: await listen(quirky), unreachable });
  return async () => {
    quirky.closeAllConnections();
    await Promise.all([echo.close(), new Promise((resolve) => quirky.close(resolve))]);
  };
}
