/**
 * Requests to the data plane under test as a browser would send them to an
 * environment's URL: node:http, because fetch does not let a caller set Host, and the
 * data plane maps the Host header to an environment. And waiting for a deploy to show.
 */
import { request } from 'node:http';

export interface Served {
  readonly status: number;
  readonly deploymentId: string | undefined;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** GET `path` from the data plane at `dataUrl`, with `host` as the Host header when given. */
export function serve(dataUrl: string, path: string, host?: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(path, dataUrl), { headers: host ? { host } : {} }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          deploymentId: response.headers['edgeway-deployment'] as string | undefined,
          contentType: response.headers['content-type'],
          body,
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Polls `probe` until it returns a value; rejects after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
