/**
 * The analytics event: what the data plane sends to the `edgeway-analytics` Queue after
 * each response it serves, and the control plane folds into D1 (docs/storage.md).
 *
 * A versioned contract, like the compiled format: `v` says which shape a message has.
 * During a rollout a data plane of version N meets a consumer of N-1 and the reverse, so
 * the consumer reads versions N and N-1 (READABLE_EVENT_VERSIONS) and drops anything
 * else with a log line; upgrade the control plane first. The event says what happened
 * and never carries what a client sent: no path, query string, header value or credential.
 */
import { z } from 'zod';
import { DeploymentIdSchema, EnvironmentNameSchema } from './ids.ts';
import { err, ok, type Result } from './result.ts';

export const ANALYTICS_EVENT_VERSION = 1;
/** Versions this build's consumer reads: the current one and the one before it (none yet). */
export const READABLE_EVENT_VERSIONS: readonly number[] = [ANALYTICS_EVENT_VERSION];

/**
 * How a request ended, from the gateway's point of view:
 * - ok: the route's handler answered (any status but an upstream's 5xx).
 * - upstream-error: the upstream answered 5xx, timed out or could not be reached.
 * - auth-rejected: an enforcing policy answered 401 or 403.
 * - rate-limited: an enforcing policy answered 429 (a rate limit or a quota).
 * - policy-rejected: an enforcing policy answered with any other status.
 * - no-route: no route matches the path, or not with this method.
 * - invalid-request: the path cannot be routed (an encoded slash, a bad escape).
 * - error: the gateway failed (500 internal-error).
 */
export const OUTCOMES = [
  'ok',
  'upstream-error',
  'auth-rejected',
  'rate-limited',
  'policy-rejected',
  'no-route',
  'invalid-request',
  'error',
] as const;
export const OutcomeSchema = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof OutcomeSchema>;

const Milliseconds = z.number().int().nonnegative();
const ByteCount = z.number().int().nonnegative().nullable();
const Label = (max: number) => z.string().min(1).max(max);

export const AnalyticsEventV1Schema = z.object({
  v: z.literal(1),
  /** Unique per event, made by the gateway; a client-sent request id may repeat. */
  id: z.uuid(),
  /** The request id the response carried (X-Request-Id). */
  requestId: Label(128),
  /** When the request arrived, in ms since the epoch. */
  time: Milliseconds,
  environment: EnvironmentNameSchema,
  deploymentId: DeploymentIdSchema,
  /** The matched route's id (`METHODS host/path`), null when no route matched. */
  route: Label(1024).nullable(),
  /** The request method; OTHER for anything but the methods a route can list. */
  method: Label(8),
  status: z.number().int().min(100).max(599),
  outcome: OutcomeSchema,
  /** The slug of the problem the gateway answered itself (no-route, upstream-timeout, ...). */
  errorClass: Label(64).nullable(),
  /** The enforcing policy that answered instead of passing the request on. */
  policy: Label(128).nullable(),
  /** Report-mode policies that would have answered instead of passing the request on. */
  reported: z.array(Label(128)).max(32),
  /** The consumer an auth policy established (src/identity/consumer.ts); null when anonymous. */
  consumerId: Label(256).nullable(),
  consumerName: Label(256).nullable(),
  /** From the request's arrival to the response head leaving the pipeline. */
  latencyMs: Milliseconds,
  /** From the upstream fetch to its response head; null when no upstream was called. */
  upstreamLatencyMs: Milliseconds.nullable(),
  /** Content-Length of the request and of the response, null when not declared. */
  bytesIn: ByteCount,
  bytesOut: ByteCount,
  /** The Cloudflare data center (request.cf.colo); null locally. */
  colo: Label(8).nullable(),
});
export type AnalyticsEvent = z.infer<typeof AnalyticsEventV1Schema>;

/** Why a message is not an event this consumer can count. */
export type UnreadableEvent =
  | { readonly reason: 'unsupported-version'; readonly version: unknown }
  | { readonly reason: 'malformed'; readonly issues: string };

export function parseAnalyticsEvent(body: unknown): Result<AnalyticsEvent, UnreadableEvent> {
  const version = typeof body === 'object' && body !== null ? (body as { v?: unknown }).v : undefined;
  if (typeof version !== 'number' || !READABLE_EVENT_VERSIONS.includes(version)) {
    return err({ reason: 'unsupported-version', version });
  }
  const parsed = AnalyticsEventV1Schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return err({ reason: 'malformed', issues: issues.join('; ') });
  }
  return ok(parsed.data);
}
