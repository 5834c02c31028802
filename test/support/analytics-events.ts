/**
 * A valid analytics event (src/config/analytics-event.ts) in the shape the data plane
 * sends, for the tests of both planes: a 200 on `GET /users/:id` in production, anonymous,
 * 12 ms (10 of them upstream), now. Fields given replace the defaults, unchecked, so a
 * test can also make an event the consumer must refuse.
 */
import type { AnalyticsEvent } from '../../src/config/analytics-event.ts';

export const SAMPLE_DEPLOYMENT_ID = 'dep_00000000000000000000000001';

export function sampleEvent(fields: Partial<Record<keyof AnalyticsEvent, unknown>> = {}): AnalyticsEvent {
  return {
    v: 1,
    id: crypto.randomUUID(),
    requestId: crypto.randomUUID(),
    time: Date.now(),
    environment: 'production',
    deploymentId: SAMPLE_DEPLOYMENT_ID,
    route: 'GET /users/:id',
    method: 'GET',
    status: 200,
    outcome: 'ok',
    errorClass: null,
    policy: null,
    reported: [],
    consumerId: null,
    consumerName: null,
    latencyMs: 12,
    upstreamLatencyMs: 10,
    bytesIn: 0,
    bytesOut: 120,
    colo: null,
    ...fields,
  } as AnalyticsEvent;
}
