/**
 * `quota`: an hourly, daily or monthly allowance per consumer or API key, kept in the
 * rate-limit zone (one Durable Object per policy and key, src/rate-limit/protocol.ts).
 *
 * Inbound, it asks the zone how much is left (`check`, which counts nothing) and refuses
 * 429 when nothing is; a key the isolate already knows to be exhausted is refused without
 * asking until its period ends. Outbound, a response whose status is in countStatuses is
 * counted (`add`, after the response, through ctx.waitUntil), and the RateLimit fields
 * tell the caller what is left. Because responses are counted after they are made, the
 * requests in flight when the allowance runs out all complete: the overshoot is bounded
 * by the caller's concurrency.
 *
 * A quota needs an identity: a request without a consumer is refused 401 unless
 * allowAnonymous lets it pass unlimited.
 */
import { parseStatusRange, type StatusRange } from '../../config/status-ranges.ts';
import { unauthorized } from '../../identity/challenges.ts';
import { CONSUMER, type Consumer } from '../../identity/consumer.ts';
import { type OverLimit, overLimitKeys } from '../../rate-limit/over-limit.ts';
import {
  type QuotaPeriod,
  type QuotaRequest,
  type QuotaResult,
  ZONE_PROTOCOL,
} from '../../rate-limit/protocol.ts';
import { periodBounds } from '../../rate-limit/quota-period.ts';
import {
  appendRateLimitFields,
  formatLimit,
  formatPolicies,
  secondsUntil,
} from '../../rate-limit/ratelimit-fields.ts';
import { limitRefusal } from '../../rate-limit/refusals.ts';
import { askZone, type ZoneFailure } from '../../rate-limit/zone-call.ts';
import { zoneKey } from '../../rate-limit/zone-key.ts';
import { dataKey, type PolicyContext, type PolicyFactory } from '../contract.ts';
import type { QuotaOptions } from './schema.ts';

const ANONYMOUS_DETAIL = 'This route has a request quota and needs credentials that identify the caller.';

/** What the inbound side left for the outbound one. */
interface Allowance {
  readonly key: string;
  readonly cacheKey: string;
  /** Undefined when the zone could not be asked and onError let the request pass. */
  readonly result?: QuotaResult;
}

function counts(ranges: readonly StatusRange[]): (status: number) => boolean {
  return (status) => ranges.some((range) => status >= range.from && status <= range.to);
}

export const create: PolicyFactory<QuotaOptions> = (options, deps) => {
  const { rateLimitZone: zone, name } = deps;
  const { period, requests } = options;
  const itemName = `${requests}-per-${period}`;
  // The schema accepted every range, so each parses.
  const isCounted = counts(options.countStatuses.map((text) => parseStatusRange(text)!));
  const prefix = `quota:${deps.environment}:${name}`;
  const signature = `${period}:${requests}`;
  const allowanceKey = dataKey<Allowance>(`quota:${name}`);
  const challenge = { scheme: options.challenge, params: { realm: 'edgeway' } };
  const check: QuotaRequest = { v: ZONE_PROTOCOL, period, allowance: requests, op: 'check' };
  const add: QuotaRequest = { v: ZONE_PROTOCOL, period, allowance: requests, op: 'add' };

  function policyField(now: number): string {
    return formatPolicies([{ name: itemName, quota: requests, windowSeconds: periodSeconds(period, now) }]);
  }

  function limitField(remaining: number, resetAt: number, now: number): string {
    return formatLimit({ name: itemName, remaining, resetAt }, now);
  }

  function refuse(ctx: PolicyContext, over: OverLimit): Response {
    const now = ctx.now();
    const headers = new Headers();
    if (options.headers) appendRateLimitFields(headers, policyField(now), limitField(0, over.retryAt, now));
    const retryAfterSeconds = secondsUntil(over.retryAt, now);
    return limitRefusal({ kind: 'quota-exhausted', period, retryAfterSeconds }, ctx.requestId, headers);
  }

  /** Remembers an exhausted key until its period ends. */
  function learn(cacheKey: string, result: QuotaResult, ctx: PolicyContext): OverLimit | undefined {
    if (result.remaining > 0) return undefined;
    const over = { retryAt: result.resetAt };
    overLimitKeys.set(cacheKey, over, over.retryAt, ctx.now());
    return over;
  }

  function logFailure(ctx: PolicyContext, failure: ZoneFailure, key: string, op: QuotaRequest['op']): void {
    ctx.log.warn('quota zone failed', {
      policy: name,
      zoneKey: key,
      op,
      error: failure.error,
      onError: options.onError,
    });
  }

  function keyOf(consumer: Consumer): string | Promise<string> {
    if (options.by === 'api-key' && consumer.credentialId) {
      return zoneKey(prefix, 'api-key', consumer.credentialId);
    }
    return zoneKey(prefix, 'consumer', consumer.id);
  }

  async function checkQuota(request: Request, ctx: PolicyContext): Promise<Request | Response> {
    const consumer = ctx.data.get(CONSUMER);
    if (!consumer) {
      return options.allowAnonymous ? request : unauthorized(ctx.requestId, challenge, ANONYMOUS_DETAIL);
    }
    const key = await keyOf(consumer);
    const cacheKey = `${key}|${signature}`;
    const known = overLimitKeys.get(cacheKey, ctx.now());
    if (known) return refuse(ctx, known);

    const answer = await askZone(() => zone.quota(key, check));
    if (answer.kind === 'failed') {
      logFailure(ctx, answer, key, 'check');
      if (options.onError === 'deny') return limitRefusal({ kind: 'zone-unavailable' }, ctx.requestId);
      ctx.data.set(allowanceKey, { key, cacheKey });
      return request;
    }
    const exhausted = learn(cacheKey, answer.value, ctx);
    if (exhausted) return refuse(ctx, exhausted);
    ctx.data.set(allowanceKey, { key, cacheKey, result: answer.value });
    return request;
  }

  async function countResponse(response: Response, ctx: PolicyContext): Promise<Response> {
    const allowance = ctx.data.get(allowanceKey);
    if (!allowance) return response;
    const counted = isCounted(response.status);
    if (counted) {
      const { key, cacheKey } = allowance;
      ctx.waitUntil(
        askZone(() => zone.quota(key, add)).then((answer) => {
          if (answer.kind === 'failed') logFailure(ctx, answer, key, 'add');
          else learn(cacheKey, answer.value, ctx);
        }),
      );
    }
    const { result } = allowance;
    if (options.headers && result) {
      const now = ctx.now();
      const remaining = result.remaining - (counted ? 1 : 0);
      appendRateLimitFields(response.headers, policyField(now), limitField(remaining, result.resetAt, now));
    }
    return response;
  }

  return { inbound: checkQuota, outbound: countResponse };
};

/** The period's length in seconds, for RateLimit-Policy `w`: a month is as long as the current one. */
function periodSeconds(period: QuotaPeriod, now: number): number {
  const { start, end } = periodBounds(period, now);
  return (end - start) / 1000;
}
