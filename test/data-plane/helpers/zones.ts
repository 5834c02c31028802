/**
 * Rate-limit zones for the rate-limit and quota policy tests, and a clock that keeps the
 * zone's time. `countingZone` is the real
 * zone (policy-deps.ts) with its calls counted, to show which requests a policy answers
 * without asking. `throwingZone` and `hangingZone` stand in for failures the real object
 * cannot be made to produce on demand: an object that throws, and one that never answers,
 * which the real client (src/rate-limit/zone-client.ts) gives up on after its timeout.
 */
import type { HitRequest, QuotaRequest, RateLimitZone } from '../../../src/rate-limit/protocol.ts';
import type { RateLimitZone as RateLimitZoneObject } from '../../../src/rate-limit/zone.ts';
import { createZoneClient } from '../../../src/rate-limit/zone-client.ts';
import { TestClock } from './policy-context.ts';
import { testZone } from './policy-deps.ts';

/**
 * The zone keeps real time, so a policy's clock follows it here, to compute Retry-After
 * and the RateLimit field as in production; a test may still move it ahead.
 */
export class ZoneClock extends TestClock {
  #ahead = 0;
  override now(): number {
    return Date.now() + this.#ahead;
  }
  override advance(ms: number): void {
    this.#ahead += ms;
  }
}

export interface CountingZone extends RateLimitZone {
  /** Every call so far, in order. */
  readonly calls: {
    readonly zoneKey: string;
    readonly op: HitRequest['op'] | QuotaRequest['op'] | 'lease';
  }[];
}

export function countingZone(): CountingZone {
  const calls: CountingZone['calls'] = [];
  return {
    calls,
    hit(zoneKey, request) {
      calls.push({ zoneKey, op: request.op });
      return testZone.hit(zoneKey, request);
    },
    lease(zoneKey, request) {
      calls.push({ zoneKey, op: 'lease' });
      return testZone.lease(zoneKey, request);
    },
    quota(zoneKey, request) {
      calls.push({ zoneKey, op: request.op });
      return testZone.quota(zoneKey, request);
    },
  };
}

export const throwingZone: RateLimitZone = {
  hit: () => Promise.reject(new Error('zone unavailable (thrown by the test)')),
  lease: () => Promise.reject(new Error('zone unavailable (thrown by the test)')),
  quota: () => Promise.reject(new Error('zone unavailable (thrown by the test)')),
};

/** The real client over objects that never answer: every call fails after `timeoutMs`. */
export function hangingZone(timeoutMs: number): RateLimitZone {
  const never = () => new Promise<never>(() => {});
  const namespace = { getByName: () => ({ hit: never, lease: never, quota: never }) };
  return createZoneClient(namespace as unknown as DurableObjectNamespace<RateLimitZoneObject>, { timeoutMs });
}
