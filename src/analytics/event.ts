/**
 * Builds a request's analytics event (src/config/analytics-event.ts) from values the
 * gateway already holds once the response head is ready: no body is read or counted
 * (sizes come from Content-Length) and nothing the client sent is copied but the
 * method, so no query string, header value or credential can reach analytics.
 */
import { ANALYTICS_EVENT_VERSION, type AnalyticsEvent } from '../config/analytics-event.ts';
import { HTTP_METHODS } from '../config/compiled.ts';
import type { LoadedDeployment } from '../deployment/load.ts';
import { UPSTREAM_CALL } from '../http/upstream-call.ts';
import { CONSUMER } from '../identity/consumer.ts';
import type { HandledRequest } from '../pipeline/handle-request.ts';
import { endingOf, reportedRefusals } from './outcome.ts';

export interface ServedRequest {
  readonly request: Request;
  readonly response: Response;
  readonly requestId: string;
  readonly deployment: Pick<LoadedDeployment, 'id' | 'environment'>;
  /** Clock readings when the request arrived and when its response head was ready. */
  readonly startedAt: number;
  readonly finishedAt: number;
  /** What the pipeline reported; absent when it threw (the response is then a 500). */
  readonly handled?: HandledRequest;
}

const KNOWN_METHODS: ReadonlySet<string> = new Set(HTTP_METHODS);

export function analyticsEvent(served: ServedRequest): AnalyticsEvent {
  const { request, response, handled } = served;
  const outcomes = handled?.outcomes ?? [];
  const upstream = handled?.data?.get(UPSTREAM_CALL);
  const consumer = handled?.data?.get(CONSUMER);
  const problem = handled ? handled.problem : 'internal-error';
  const ending = endingOf({ status: response.status, problem, outcomes, upstream });
  return {
    v: ANALYTICS_EVENT_VERSION,
    id: crypto.randomUUID(),
    requestId: served.requestId,
    time: Math.round(served.startedAt),
    environment: served.deployment.environment,
    deploymentId: served.deployment.id,
    route: label(handled?.route?.id, 1024),
    method: KNOWN_METHODS.has(request.method) ? request.method : 'OTHER',
    status: response.status,
    outcome: ending.outcome,
    errorClass: ending.errorClass,
    policy: label(ending.policy, 128),
    reported: reportedRefusals(outcomes)
      .slice(0, 32)
      .map((name) => name.slice(0, 128)),
    consumerId: label(consumer?.id, 256),
    consumerName: label(consumer?.name, 256),
    latencyMs: milliseconds(served.finishedAt - served.startedAt),
    upstreamLatencyMs: upstream ? milliseconds(upstream.latencyMs) : null,
    bytesIn: byteCount(request),
    bytesOut: byteCount(response),
    colo: coloOf(request),
  };
}

/** Within the event schema's bounds, so a long subject never gets the event dropped. */
function label(value: string | null | undefined, max: number): string | null {
  return value ? value.slice(0, max) : null;
}

function milliseconds(duration: number): number {
  return Math.max(0, Math.round(duration));
}

/** 0 without a body; the declared Content-Length otherwise, null when there is none. */
function byteCount(message: Request | Response): number | null {
  if (message.body === null) return 0;
  const declared = message.headers.get('content-length');
  if (declared === null || !/^\d{1,15}$/.test(declared)) return null;
  return Number(declared);
}

function coloOf(request: Request): string | null {
  const colo = (request.cf as { colo?: unknown } | undefined)?.colo;
  return typeof colo === 'string' && colo !== '' ? colo : null;
}
