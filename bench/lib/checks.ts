/**
 * Before anything is measured, each target must answer like the thing it claims to be:
 * 200 with the demo upstream's echo of the bench path, and for the gateway also the
 * request header its inbound set-headers added (visible in the echo) and the response
 * header its outbound set-headers added. Measuring a target that answers errors fast
 * would produce a flattering, meaningless table. The one target that refuses on purpose
 * (a rate limit exceeded) must refuse the way a client is told to: 429 problem+json with
 * Retry-After.
 */
import { REQUEST_HEADER, RESPONSE_HEADER } from './bench-config.ts';
import { UPSTREAM_NAME } from './upstream.ts';

interface Echo {
  upstream?: unknown;
  path?: unknown;
  headers?: Record<string, unknown>;
}

/** Throws, listing every problem, when `url` does not answer as expected. */
export async function checkTarget(name: string, url: string, viaGateway: boolean): Promise<void> {
  const response = await fetch(url);
  const text = await response.text();
  const expected = new URL(url).pathname;
  const problems: string[] = [];
  let echo: Echo = {};
  try {
    echo = JSON.parse(text) as Echo;
  } catch {
    problems.push("the body is not the demo upstream's JSON echo");
  }
  if (response.status !== 200) problems.push(`status ${response.status}, expected 200`);
  if (echo.upstream !== UPSTREAM_NAME)
    problems.push(`echo.upstream is ${echo.upstream}, expected ${UPSTREAM_NAME}`);
  if (echo.path !== expected) problems.push(`echo.path is ${echo.path}, expected ${expected}`);
  if (viaGateway) {
    const sent = echo.headers?.[REQUEST_HEADER.name];
    if (sent !== REQUEST_HEADER.value) {
      problems.push(
        `the upstream saw ${REQUEST_HEADER.name}: ${sent}, expected ${REQUEST_HEADER.value} (inbound)`,
      );
    }
    const returned = response.headers.get(RESPONSE_HEADER.name);
    if (returned !== RESPONSE_HEADER.value) {
      problems.push(
        `the response has ${RESPONSE_HEADER.name}: ${returned}, expected ${RESPONSE_HEADER.value} (outbound)`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `${name} (${url}) does not answer as expected:\n  - ${problems.join('\n  - ')}\n` +
        `  response: ${response.status} ${JSON.stringify([...response.headers])}\n  body: ${text.slice(0, 500)}`,
    );
  }
}

/** Throws unless `url`, asked twice, refuses the second time with a rate-limit 429. */
export async function checkRefusal(name: string, url: string): Promise<void> {
  await (await fetch(url)).arrayBuffer();
  const response = await fetch(url);
  const body = await response.text();
  const type = response.headers.get('content-type');
  const retryAfter = response.headers.get('retry-after');
  if (response.status !== 429 || type !== 'application/problem+json' || retryAfter === null) {
    throw new Error(
      `${name} (${url}) does not refuse as expected: ${response.status} ${type}, Retry-After ${retryAfter}\n  body: ${body.slice(0, 500)}`,
    );
  }
}
