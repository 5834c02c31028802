/**
 * `rate-limit`: counts requests per key in the global rate-limit zone (one Durable Object
 * per policy and key, src/rate-limit/protocol.ts) against one or more sliding limits.
 *
 * Inbound, a key the isolate knows to be over its limit is answered 429 at once, with no
 * zone call (src/rate-limit/over-limit.ts). Otherwise, in strict mode the zone admits or
 * refuses the request before it goes upstream; in async mode the request goes upstream
 * at once and the zone counts it alongside (ctx.waitUntil), and a key it reports over is
 * refused locally from then on. Outbound, the RateLimit-Policy and RateLimit fields go on
 * the response, from what the inbound side left in the request's data: an inbound policy
 * cannot touch the response, so a route lists this policy under both.
 *
 * In report mode the pipeline runs it on a copy and discards its answer: the request is
 * still counted (strict mode counts what it admits), and nothing reaches the client.
 */
import { type OverLimit, overLimitKeys } from '../../rate-limit/over-limit.ts';
import { type HitRequest, type HitResult, ZONE_PROTOCOL } from '../../rate-limit/protocol.ts';
import {
  appendRateLimitFields,
  formatLimit,
  formatPolicies,
  type ServiceLimit,
  secondsUntil,
} from '../../rate-limit/ratelimit-fields.ts';
import { limitRefusal } from '../../rate-limit/refusals.ts';
import { askZone, type ZoneFailure } from '../../rate-limit/zone-call.ts';
import { zoneKey } from '../../rate-limit/zone-key.ts';
import { dataKey, type PolicyContext, type PolicyFactory } from '../contract.ts';
import { createKeyReader } from './counted-key.ts';
import { limitSpecs, mostRestrictive, overLimitAfter, quotaPolicies } from './limits.ts';
import type { RateLimitOptions } from './schema.ts';

/** What the inbound side learnt of the key, for the fields the outbound side sends. */
interface KeyState {
  /** Undefined while an async count is in flight, or when the zone could not be asked. */
  limit?: ServiceLimit;
}

export const create: PolicyFactory<RateLimitOptions> = (options, deps) => {
  const { rateLimitZone: zone, name } = deps;
  const specs = limitSpecs(options.limits);
  const policyField = formatPolicies(quotaPolicies(specs));
  const signature = specs.map((spec) => spec.id).join(',');
  const prefix = `rl:${deps.environment}:${name}`;
  const readKey = createKeyReader(options.key);
  const keyState = dataKey<KeyState>(`rate-limit:${name}`);
  const consume: HitRequest = { v: ZONE_PROTOCOL, limits: specs, op: 'consume' };
  const count: HitRequest = { v: ZONE_PROTOCOL, limits: specs, op: 'count' };

  function refuse(ctx: PolicyContext, over: OverLimit): Response {
    const now = ctx.now();
    const headers = new Headers();
    if (options.headers) {
      appendRateLimitFields(headers, policyField, over.limit && formatLimit(over.limit, now));
    }
    const retryAfterSeconds = secondsUntil(over.retryAt, now);
    return limitRefusal({ kind: 'rate-limited', retryAfterSeconds }, ctx.requestId, headers);
  }

  /** Remembers a key the zone left without room; returns what it remembered. */
  function learn(cacheKey: string, result: HitResult, ctx: PolicyContext): OverLimit | undefined {
    const over = overLimitAfter(result);
    if (over) overLimitKeys.set(cacheKey, over, over.retryAt, ctx.now());
    return over;
  }

  function logFailure(ctx: PolicyContext, failure: ZoneFailure, key: string): void {
    ctx.log.warn('rate-limit zone failed', {
      policy: name,
      zoneKey: key,
      error: failure.error,
      onError: options.onError,
    });
  }

  /** Async mode: the request is on its way; the count's answer updates what the isolate knows. */
  function countAlongside(ctx: PolicyContext, key: string, cacheKey: string): void {
    const state: KeyState = {};
    ctx.data.set(keyState, state);
    ctx.waitUntil(
      askZone(() => zone.hit(key, count)).then((answer) => {
        if (answer.kind === 'failed') return logFailure(ctx, answer, key);
        learn(cacheKey, answer.value, ctx);
        state.limit = mostRestrictive(answer.value.limits);
      }),
    );
  }

  async function limitRate(request: Request, ctx: PolicyContext): Promise<Request | Response> {
    const counted = readKey(request, ctx);
    const key = await zoneKey(prefix, counted.kind, counted.value);
    const cacheKey = `${key}|${signature}`;
    const known = overLimitKeys.get(cacheKey, ctx.now());
    if (known) return refuse(ctx, known);
    if (options.mode === 'async') {
      countAlongside(ctx, key, cacheKey);
      return request;
    }

    const answer = await askZone(() => zone.hit(key, consume));
    if (answer.kind === 'failed') {
      logFailure(ctx, answer, key);
      if (options.onError === 'deny') return limitRefusal({ kind: 'zone-unavailable' }, ctx.requestId);
      ctx.data.set(keyState, {});
      return request;
    }
    const over = learn(cacheKey, answer.value, ctx);
    // A refused key is always over its limit, so `over` is set.
    if (!answer.value.allowed) return refuse(ctx, over!);
    ctx.data.set(keyState, { limit: mostRestrictive(answer.value.limits) });
    return request;
  }

  async function addRateLimitFields(response: Response, ctx: PolicyContext): Promise<Response> {
    const state = ctx.data.get(keyState);
    if (!state || !options.headers) return response;
    appendRateLimitFields(response.headers, policyField, state.limit && formatLimit(state.limit, ctx.now()));
    return response;
  }

  return { inbound: limitRate, outbound: addRateLimitFields };
};
