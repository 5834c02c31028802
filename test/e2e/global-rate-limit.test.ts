/**
 * Several PoPs, one zone: three data-plane processes under wrangler dev (each standing
 * for a Cloudflare location, scripts/lib/pop-config.ts) serve the same deployment from
 * the same KV, and their rate-limit policy counts in the one RateLimitZone object of the
 * first. 600 concurrent requests spread over them against a limit of 100 must give
 * exactly 100 admitted, with every other one refused 429 and none failing. wrangler dev
 * puts proxies in front of every call, so a burst of 600 keeps the zone busy for longer
 * than the production ZONE_TIMEOUT_MS: the stack waits longer, and `onError: deny` makes
 * any call that still fails show up as a failure rather than an admission.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../scripts/lib/local-stack.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { eventually } from './support/data-plane.ts';
import { deployToProduction, startTestStack } from './support/stack.ts';

const REQUESTS = 600;
const LIMIT = 100;
let stack: LocalStack;

const config = `version: 1
policies:
  global-limit:
    type: rate-limit
    options:
      key: { by: route }
      limits: [{ requests: ${LIMIT}, window: 1h }]
      onError: deny
routes:
  - path: /limited
    inbound: [global-limit]
    mock: { body: admitted }
`;

beforeAll(async () => {
  stack = await startTestStack('pops', {
    extraPopPorts: [await freePort(), await freePort()],
    zoneTimeoutMs: 30_000,
  });
  const deployed = await deployToProduction(stack, config, 'one limit for every PoP');
  // Every PoP serves the deployment before the burst, from a route without the limit.
  for (const pop of stack.popUrls) {
    await eventually(async () => {
      const response = await fetch(`${pop}/unrouted`);
      await response.arrayBuffer();
      return response.headers.get('edgeway-deployment') === deployed ? true : undefined;
    }, 15_000);
  }
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('one rate-limit zone for every PoP', () => {
  it(`admits exactly ${LIMIT} of ${REQUESTS} concurrent requests spread over three PoPs`, async () => {
    expect(stack.popUrls).toHaveLength(3);
    const statuses = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, index) => {
        // Separate zones per PoP would admit 100 each: 300 in all.
        const pop = stack.popUrls[index % stack.popUrls.length]!;
        const response = await fetch(`${pop}/limited`);
        await response.arrayBuffer();
        return { status: response.status };
      }),
    );
    const count = (status: number) => statuses.filter((entry) => entry.status === status).length;
    expect({ admitted: count(200), refused: count(429), other: REQUESTS - count(200) - count(429) }).toEqual({
      admitted: LIMIT,
      refused: REQUESTS - LIMIT,
      other: 0,
    });
  });
});
