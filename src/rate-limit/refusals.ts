/**
 * The answers the rate-limit and quota policies give when they refuse a request, as RFC
 * 9457 problem+json, each with Retry-After (RFC 9110 §10.2.3) in whole seconds: 429 when
 * the key is over its limit or its quota is used up (RFC 6585 §4), 503 when the zone
 * cannot be asked and the policy's onError is deny. One switch holds the public wording.
 */
import { type Problem, problemResponse } from '../config/problem.ts';
import type { QuotaPeriod } from './protocol.ts';

export type LimitRefusal =
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'quota-exhausted'; readonly period: QuotaPeriod; readonly retryAfterSeconds: number }
  | { readonly kind: 'zone-unavailable' };

/** How long a client refused for an unreachable zone is asked to wait. */
const ZONE_RETRY_AFTER_SECONDS = 5;

const PERIOD_ADJECTIVE: Readonly<Record<QuotaPeriod, string>> = {
  hour: 'hourly',
  day: 'daily',
  month: 'monthly',
};

function seconds(count: number): string {
  return count === 1 ? '1 second' : `${count} seconds`;
}

interface Answer {
  readonly problem: Omit<Problem, 'requestId'>;
  readonly retryAfterSeconds: number;
}

function answerFor(refusal: LimitRefusal): Answer {
  switch (refusal.kind) {
    case 'rate-limited': {
      const wait = Math.max(1, refusal.retryAfterSeconds);
      const detail = `This client has made too many requests; retry in ${seconds(wait)}.`;
      return {
        problem: { slug: 'rate-limited', status: 429, title: 'Too many requests', detail },
        retryAfterSeconds: wait,
      };
    }
    case 'quota-exhausted': {
      const wait = Math.max(1, refusal.retryAfterSeconds);
      const detail = `The ${PERIOD_ADJECTIVE[refusal.period]} request allowance is used up; it renews at the start of the next ${refusal.period} (UTC), in ${seconds(wait)}.`;
      return {
        problem: { slug: 'quota-exhausted', status: 429, title: 'Quota exhausted', detail },
        retryAfterSeconds: wait,
      };
    }
    case 'zone-unavailable': {
      const detail =
        'The gateway cannot check the rate limit of this route right now; retry after the Retry-After interval.';
      return {
        problem: { slug: 'rate-limit-unavailable', status: 503, title: 'Rate limit unavailable', detail },
        retryAfterSeconds: ZONE_RETRY_AFTER_SECONDS,
      };
    }
  }
}

/** `extraHeaders` are the RateLimit fields, when the policy sends them. */
export function limitRefusal(refusal: LimitRefusal, requestId: string, extraHeaders?: Headers): Response {
  const { problem, retryAfterSeconds } = answerFor(refusal);
  const headers = new Headers(extraHeaders);
  headers.set('retry-after', String(retryAfterSeconds));
  return problemResponse({ ...problem, requestId }, headers);
}
