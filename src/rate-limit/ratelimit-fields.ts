/**
 * The RateLimit-Policy and RateLimit response fields of draft-ietf-httpapi-ratelimit-
 * headers-11, and Retry-After (RFC 9110 §10.2.3), as the rate-limit and quota policies
 * send them. Both fields are Structured Field Lists (RFC 9651) of String items, so the
 * policies on one route each append their items and the values combine into one list.
 */

/** A quota policy item (draft §3.1): the allowance `quota` per `windowSeconds`. */
export interface QuotaPolicy {
  readonly name: string;
  readonly quota: number;
  readonly windowSeconds: number;
}

/** A service limit item (draft §4.1): what is left of a policy and when the window ends. */
export interface ServiceLimit {
  readonly name: string;
  readonly remaining: number;
  /** Epoch ms at which the effective window ends. */
  readonly resetAt: number;
}

/** RFC 9651 §4.1.6: a String is printable ASCII in quotes, with `"` and `\` escaped. */
function sfString(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return `"${printable.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Whole seconds from `now` until `at`, rounded up (delay-seconds never undershoots); 0 once past. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1_000));
}

/** `"10-per-1s";q=10;w=1` for each policy: computed once per policy instance. */
export function formatPolicies(policies: readonly QuotaPolicy[]): string {
  return policies
    .map((policy) => `${sfString(policy.name)};q=${policy.quota};w=${policy.windowSeconds}`)
    .join(', ');
}

/** `"10-per-1s";r=3;t=1`: the limit's remaining allowance and the seconds until its window ends. */
export function formatLimit(limit: ServiceLimit, now: number): string {
  return `${sfString(limit.name)};r=${Math.max(0, limit.remaining)};t=${secondsUntil(limit.resetAt, now)}`;
}

/**
 * Adds one policy's items to a message's fields, after those another policy set. `limit`
 * is left out when the current state is not known (the zone has not answered yet).
 */
export function appendRateLimitFields(headers: Headers, policies: string, limit: string | undefined): void {
  headers.append('ratelimit-policy', policies);
  if (limit !== undefined) headers.append('ratelimit', limit);
}
