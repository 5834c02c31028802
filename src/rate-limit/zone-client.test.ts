/**
 * The client gives up on a zone that does not answer in time, so a policy can follow
 * its onError choice. The overloaded zone is the real object with a queue of hundreds
 * of calls in front of the one under test, which no object clears within 1 ms.
 */
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import type { HitRequest } from './protocol.ts';
import { createZoneClient } from './zone-client.ts';

const request: HitRequest = {
  v: 1,
  op: 'consume',
  limits: [{ id: '100000/1d', requests: 100_000, windowMs: 86_400_000 }],
};

it('rejects a call an overloaded zone has not answered in time, and the zone carries on', async () => {
  const key = `rl:test:zone-client:ip:${crypto.randomUUID()}`;
  const queue = Array.from({ length: 500 }, () => env.RATE_LIMIT_ZONE.getByName(key).hit(request));
  const hasty = createZoneClient(env.RATE_LIMIT_ZONE, { timeoutMs: 1 });
  await expect(hasty.hit(key, request)).rejects.toThrow('rate-limit zone: no answer within 1 ms');
  await Promise.all(queue);
  const patient = createZoneClient(env.RATE_LIMIT_ZONE, { timeoutMs: 60_000 });
  // The call that timed out was still delivered, and counted when its turn came.
  expect((await patient.hit(key, request)).limits[0]!.remaining).toBe(100_000 - 502);
});
