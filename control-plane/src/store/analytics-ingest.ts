/**
 * Folds a batch of analytics events into D1 in one atomic batch (docs/storage.md):
 *
 * 1. claim: insert each event's id into analytics_seen_events with this attempt's claim;
 *    an id already there (counted by an earlier delivery) keeps its old claim;
 * 2. add the events this attempt claimed to their minute and hour rollup rows;
 * 3. add them to the recent-request log, and trim each environment's log to its newest.
 *
 * D1 runs a batch as one transaction, so a failure anywhere leaves nothing behind and a
 * retried batch counts each event once; a delivery after success claims nothing. The
 * events travel as one JSON parameter and are expanded with json_each, so a batch costs
 * a few statements whatever its size, and stays under D1's bound-parameter limit.
 */
import type { AnalyticsEvent } from '../../../src/config/analytics-event.ts';
import { bucketOf } from '../analytics/latency-buckets.ts';
import { ADD_LATENCY_COUNTS, countBuckets, LATENCY_COLUMNS } from './analytics-columns.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
/** How many of each environment's latest events the recent-request log keeps. */
export const RECENT_REQUESTS_KEPT = 500;

const CLAIM = `INSERT INTO analytics_seen_events (id, claim, seen_at)
  SELECT value ->> '$.id', ?2, ?3 FROM json_each(?1) WHERE true
  ON CONFLICT (id) DO NOTHING`;

/** ?1 the events, ?2 their latency buckets in the same order, ?3 the claim. */
const ADD_TO_ROLLUPS = `INSERT INTO analytics_rollups (
    environment, period_ms, start, route, status, consumer_id, consumer_name, outcome,
    requests, bytes_in, bytes_out, reported, latency_sum_ms, latency_max_ms,
    upstream_requests, upstream_sum_ms, ${LATENCY_COLUMNS.join(', ')})
  SELECT
    e.value ->> '$.environment' AS environment,
    p.value AS period,
    (e.value ->> '$.time') / p.value * p.value AS period_start,
    COALESCE(e.value ->> '$.route', '') AS route_id,
    e.value ->> '$.status' AS status_code,
    COALESCE(e.value ->> '$.consumerId', '') AS consumer,
    MAX(COALESCE(e.value ->> '$.consumerName', '')),
    e.value ->> '$.outcome' AS ending,
    COUNT(*),
    SUM(COALESCE(e.value ->> '$.bytesIn', 0)),
    SUM(COALESCE(e.value ->> '$.bytesOut', 0)),
    SUM(json_array_length(e.value -> '$.reported') > 0),
    SUM(e.value ->> '$.latencyMs'),
    MAX(e.value ->> '$.latencyMs'),
    COUNT(e.value ->> '$.upstreamLatencyMs'),
    SUM(COALESCE(e.value ->> '$.upstreamLatencyMs', 0)),
    ${countBuckets('b.value')}
  FROM json_each(?1) AS e
  JOIN json_each(?2) AS b ON b.key = e.key
  JOIN analytics_seen_events AS s ON s.id = e.value ->> '$.id' AND s.claim = ?3
  CROSS JOIN json_each('[${MINUTE_MS}, ${HOUR_MS}]') AS p
  WHERE true
  GROUP BY environment, period, period_start, route_id, status_code, consumer, ending
  ON CONFLICT (environment, period_ms, start, route, status, consumer_id, outcome) DO UPDATE SET
    consumer_name = excluded.consumer_name,
    requests = requests + excluded.requests,
    bytes_in = bytes_in + excluded.bytes_in,
    bytes_out = bytes_out + excluded.bytes_out,
    reported = reported + excluded.reported,
    latency_sum_ms = latency_sum_ms + excluded.latency_sum_ms,
    latency_max_ms = MAX(latency_max_ms, excluded.latency_max_ms),
    upstream_requests = upstream_requests + excluded.upstream_requests,
    upstream_sum_ms = upstream_sum_ms + excluded.upstream_sum_ms,
    ${ADD_LATENCY_COUNTS}`;

const ADD_TO_RECENT = `INSERT INTO analytics_recent_requests (id, environment, time, event)
  SELECT e.value ->> '$.id', e.value ->> '$.environment', e.value ->> '$.time', e.value
  FROM json_each(?1) AS e
  JOIN analytics_seen_events AS s ON s.id = e.value ->> '$.id' AND s.claim = ?2
  WHERE true
  ON CONFLICT (id) DO NOTHING`;

/** Keeps an environment's ?2 newest events (by time, then id). */
const TRIM_RECENT = `DELETE FROM analytics_recent_requests
  WHERE environment = ?1 AND (time, id) < (
    SELECT time, id FROM analytics_recent_requests WHERE environment = ?1
    ORDER BY time DESC, id DESC LIMIT 1 OFFSET ?2 - 1)`;

/**
 * The statements that count `events` once each; run them as one `db.batch`. Events
 * repeated within the batch are counted once too.
 */
export function foldStatements(
  db: D1Database,
  events: readonly AnalyticsEvent[],
  now: number,
): D1PreparedStatement[] {
  const unique = [...new Map(events.map((event) => [event.id, event])).values()];
  const json = JSON.stringify(unique);
  const buckets = JSON.stringify(unique.map((event) => bucketOf(event.latencyMs)));
  const claim = crypto.randomUUID();
  const environments = new Set(unique.map((event) => event.environment));
  return [
    db.prepare(CLAIM).bind(json, claim, now),
    db.prepare(ADD_TO_ROLLUPS).bind(json, buckets, claim),
    db.prepare(ADD_TO_RECENT).bind(json, claim),
    ...[...environments].map((environment) =>
      db.prepare(TRIM_RECENT).bind(environment, RECENT_REQUESTS_KEPT),
    ),
  ];
}

export async function foldEvents(
  db: D1Database,
  events: readonly AnalyticsEvent[],
  now: number,
): Promise<void> {
  if (events.length > 0) await db.batch(foldStatements(db, events, now));
}
