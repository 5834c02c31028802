/**
 * `rate-limit`: counts requests per key in the global rate-limit zone (one Durable Object
 * per policy and key, src/rate-limit/protocol.ts) against one or more sliding limits.
 *
 * Inbound, a request first spends a spare admission its isolate leased for the key, which
 * the zone has charged already: no zone call (src/rate-limit/spare-admissions.ts).
 * Otherwise a key the isolate knows to be over its limit is answered 429 at once, also
 * without a call (src/rate-limit/over-limit.ts). Otherwise the request makes one lease()
 * call, which may lease spares for the requests after it: in strict mode the zone admits
 * or refuses the request before it goes upstream; in async mode the request goes upstream
 * at once and the call counts it alongside (ctx.waitUntil), and a key it reports over is
 * refused locally from then on. Outbound, the RateLimit-Policy and RateLimit fields go on
 * the response, from what the inbound side left in the request's data: an inbound policy
 * cannot touch the response, so a route lists this policy under both.
 *
 * In report mode the pipeline runs it on a copy and discards its answer: the request is
 * still counted (strict mode counts what it admits), and nothing reaches the client.
 */
import { type OverLimit, overLimitKeys } from '../../rate-limit/over-limit.ts';
import { type LeaseResult, ZONE_PROTOCOL } from '../../rate-limit/protocol.ts';
import {
  appendRateLimitFields,
  formatLimit,
  formatPolicies,
  type ServiceLimit,
  secondsUntil,
} from '../../rate-limit/ratelimit-fields.ts';
import { limitRefusal } from '../../rate-limit/refusals.ts';
import {
  giveBackWhenDue,
  type KeySpares,
  SpareAdmissions,
  type SpareAsk,
  type Ticket,
} from '../../rate-limit/spare-admissions.ts';
import { askZone, type ZoneAnswer } from '../../rate-limit/zone-call.ts';
import { zoneKey } from '../../rate-limit/zone-key.ts';
import { dataKey, type PolicyContext, type PolicyFactory } from '../contract.ts';
import { type CountedKey, createKeyReader } from './counted-key.ts';
import { limitSpecs, mostRestrictive, overLimitAfter, quotaPolicies } from './limits.ts';
import type { RateLimitOptions } from './schema.ts';

/** What the inbound side learnt of the key, for the fields the outbound side sends. */
interface KeyState {
  /** Undefined while an async count is in flight, or when the zone could not be asked. */
  limit?: ServiceLimit;
}

/** The isolate's spare admissions, shared by every instance of the policy: keyed by zone key and limits. */
const spareAdmissions = new SpareAdmissions<KeyState>();
/** The state of a request admitted while the zone could not be asked: no limit to show. */
const UNKNOWN: KeyState = Object.freeze({});

export const create: PolicyFactory<RateLimitOptions> = (options, deps) => {
  const { rateLimitZone: zone, name } = deps;
  const specs = limitSpecs(options.limits);
  const policyField = formatPolicies(quotaPolicies(specs));
  const signature = specs.map((spec) => spec.id).join(',');
  const prefix = `rl:${deps.environment}:${name}`;
  const readKey = createKeyReader(options.key);
  const keyState = dataKey<KeyState>(`rate-limit:${name}`);
  /** Zone keys of `key: {by: route}` by route id (a route id may need hashing): as many as the routes. */
  const routeKeys = new Map<string, string>();

  function refuse(ctx: PolicyContext, over: OverLimit): Response {
    const now = ctx.now();
    const headers = new Headers();
    if (options.headers) {
      appendRateLimitFields(headers, policyField, over.limit && formatLimit(over.limit, now));
    }
    const retryAfterSeconds = secondsUntil(over.retryAt, now);
    return limitRefusal({ kind: 'rate-limited', retryAfterSeconds }, ctx.requestId, headers);
  }

  function callZone(ctx: PolicyContext, key: string, ask: SpareAsk): Promise<ZoneAnswer<LeaseResult>> {
    return askZone(() => zone.lease(key, { v: ZONE_PROTOCOL, limits: specs, ...ask })).then((answer) => {
      if (answer.kind === 'failed') {
        ctx.log.warn('rate-limit zone failed', {
          policy: name,
          zoneKey: key,
          error: answer.error,
          onError: options.onError,
        });
      }
      return answer;
    });
  }

  /**
   * Makes `ticket`'s call and takes in its answer: remembers a key the zone left without
   * room, and keeps the spares it granted, to be given back when their time is up.
   */
  async function lease(
    ctx: PolicyContext,
    key: string,
    cacheKey: string,
    spares: KeySpares<KeyState>,
    ticket: Ticket,
  ) {
    const answer = await callZone(ctx, key, ticket.ask);
    if (answer.kind === 'failed') {
      spares.answered(ticket, undefined, ctx.now());
      return { answer };
    }
    const result = answer.value;
    const over = overLimitAfter(result);
    if (over) overLimitKeys.set(cacheKey, over, over.retryAt, ctx.now());
    const state: KeyState = { limit: mostRestrictive(result.limits) };
    const pool = spares.answered(
      ticket,
      { lease: result.lease, spare: result.spare, shared: state },
      ctx.now(),
    );
    if (pool) {
      const giveBack = (ask: SpareAsk) => callZone(ctx, key, ask);
      ctx.waitUntil(giveBackWhenDue(spares, pool, () => ctx.now(), giveBack));
    }
    return { answer, state, over };
  }

  async function admit(
    request: Request,
    ctx: PolicyContext,
    key: string,
    cacheKey: string,
    spares: KeySpares<KeyState>,
  ) {
    const { answer, state, over } = await lease(ctx, key, cacheKey, spares, spares.ask(ctx.now(), 1, 0));
    if (answer.kind === 'failed') {
      if (options.onError === 'deny') return limitRefusal({ kind: 'zone-unavailable' }, ctx.requestId);
      ctx.data.set(keyState, UNKNOWN);
      return request;
    }
    if (answer.value.admitted === 0) {
      // A concurrent call of this isolate may have leased the room that is missing: spend it.
      const late = spares.spend(ctx.now());
      if (late) {
        ctx.data.set(keyState, late);
        return request;
      }
      // A refused request leaves the key over its limit, so `over` is set.
      return refuse(ctx, over!);
    }
    ctx.data.set(keyState, state);
    return request;
  }

  function countAlongside(
    ctx: PolicyContext,
    key: string,
    cacheKey: string,
    spares: KeySpares<KeyState>,
  ): void {
    const state: KeyState = {};
    ctx.data.set(keyState, state);
    const ticket = spares.ask(ctx.now(), 0, 1);
    ctx.waitUntil(
      lease(ctx, key, cacheKey, spares, ticket).then((leased) => {
        state.limit = leased.state?.limit;
      }),
    );
  }

  /** The zone key of what a request is counted by; a route's is worked out once. */
  function zoneKeyOf(counted: CountedKey): string | Promise<string> {
    if (counted.kind !== 'route') return zoneKey(prefix, counted.kind, counted.value);
    return routeKeys.get(counted.value) ?? rememberRouteKey(counted.value);
  }

  async function rememberRouteKey(routeId: string): Promise<string> {
    const key = await zoneKey(prefix, 'route', routeId);
    routeKeys.set(routeId, key);
    return key;
  }

  async function limitRate(request: Request, ctx: PolicyContext): Promise<Request | Response> {
    const pending = zoneKeyOf(readKey(request, ctx));
    const key = typeof pending === 'string' ? pending : await pending;
    const cacheKey = `${key}|${signature}`;
    const spares = spareAdmissions.of(cacheKey);
    const now = ctx.now();
    const spent = spares.spend(now);
    if (spent) {
      ctx.data.set(keyState, spent);
      const ahead = spares.refill(now);
      if (ahead) ctx.waitUntil(lease(ctx, key, cacheKey, spares, ahead));
      return request;
    }
    const over = overLimitKeys.get(cacheKey, now);
    if (over) return refuse(ctx, over);
    if (options.mode === 'strict') return admit(request, ctx, key, cacheKey, spares);
    countAlongside(ctx, key, cacheKey, spares);
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
