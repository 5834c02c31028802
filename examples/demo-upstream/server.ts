/**
 * The demo upstream: a tiny HTTP server that answers every request with a JSON echo of
 * what it received (method, path, query, headers, body). `npm start`, the end-to-end
 * tests and the benchmark put it behind the gateway, so what the gateway changed on the
 * way is visible in the response.
 *
 *   node examples/demo-upstream/server.ts [--port 8789] [--name demo]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoUpstream {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface DemoUpstreamOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Echoed as `upstream`, so a test can tell two demo upstreams apart. */
  readonly name?: string;
}

const MAX_ECHOED_BODY_BYTES = 64 * 1024;

export function startDemoUpstream(options: DemoUpstreamOptions = {}): Promise<DemoUpstream> {
  const name = options.name ?? 'demo';
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ECHOED_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://upstream.invalid');
      const body = JSON.stringify({
        upstream: name,
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        bodyBytes: size,
      });
      response.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (import.meta.main) {
  const { values } = (await import('node:util')).parseArgs({
    options: { port: { type: 'string', default: '8789' }, name: { type: 'string', default: 'demo' } },
  });
  const upstream = await startDemoUpstream({ port: Number(values.port), name: values.name });
  console.log(`demo upstream "${values.name}" listening on ${upstream.url}`);
}
