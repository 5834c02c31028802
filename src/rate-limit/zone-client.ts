/**
 * The data plane's side of the zone: sends each call to the Durable Object its zone key
 * names (the namespace hashes the key to the object's id), and gives up after
 * `timeoutMs`. A zone that is slow, overloaded or throwing becomes a rejected promise,
 * which a policy turns into its `onError` choice; a late answer is dropped.
 */
import type {
  HitRequest,
  HitResult,
  LeaseRequest,
  LeaseResult,
  QuotaRequest,
  QuotaResult,
  RateLimitZone,
} from './protocol.ts';
import type { RateLimitZone as RateLimitZoneObject } from './zone.ts';

export interface ZoneClientOptions {
  /** How long a call may take before it counts as failed (ZONE_TIMEOUT_MS). */
  readonly timeoutMs: number;
}

export function createZoneClient(
  namespace: DurableObjectNamespace<RateLimitZoneObject>,
  options: ZoneClientOptions,
): RateLimitZone {
  const { timeoutMs } = options;
  return {
    hit(zoneKey: string, request: HitRequest): Promise<HitResult> {
      return withTimeout(() => namespace.getByName(zoneKey).hit(request), timeoutMs);
    },
    lease(zoneKey: string, request: LeaseRequest): Promise<LeaseResult> {
      return withTimeout(() => namespace.getByName(zoneKey).lease(request), timeoutMs);
    },
    quota(zoneKey: string, request: QuotaRequest): Promise<QuotaResult> {
      return withTimeout(() => namespace.getByName(zoneKey).quota(request), timeoutMs);
    },
  };
}

/**
 * The timer is set before the call starts: if the runtime refuses it (workerd allows
 * 10,000 active timers per request), the call is never made, so a failure never hides
 * a hit the zone counted.
 */
async function withTimeout<T>(call: () => Promise<T>, timeoutMs: number): Promise<T> {
  let expire!: (reason: Error) => void;
  const expiry = new Promise<never>((_, reject) => {
    expire = reject;
  });
  const timer = setTimeout(
    () => expire(new Error(`rate-limit zone: no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    return await Promise.race([call(), expiry]);
  } finally {
    clearTimeout(timer);
  }
}
