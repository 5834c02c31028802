/**
 * Seeds the rollups of `npm run bench:analytics` with `days` of traffic, as the Queue
 * consumer would have left them: every minute of every day has `keysPerMinute` minute
 * rows (routes x statuses x consumers x outcomes), each counting a few dozen requests
 * with a latency histogram over three buckets, and the hour rows are those minute rows
 * summed per hour. Generated in D1 by SQL (two statements per day), far faster than
 * folding the tens of millions of events such traffic holds. Minute rows are kept for
 * all the days, as if retention had not run: the biggest table the queries can meet.
 */
import { SUM_LATENCY_COUNTS } from '../../control-plane/src/store/analytics-columns.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface Database {
  prepare(sql: string): {
    bind(...values: unknown[]): { run(): Promise<unknown>; first<T>(column: string): Promise<T | null> };
  };
}

export interface Seeded {
  readonly minuteRows: number;
  readonly hourRows: number;
}

/** The minute rows of the day starting at ?1 (ms) within [?3, ?4], ?2 rows per minute. */
const SEED_DAY = `WITH RECURSIVE
    minute(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM minute WHERE n < 1439),
    keys(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM keys WHERE k < ?2 - 1),
    row(start, k, requests) AS (SELECT ?1 + n * ${MINUTE_MS}, k, 5 + (n * 7 + k * 13) % 40 FROM minute, keys)
  INSERT INTO analytics_rollups (environment, period_ms, start, route, status, consumer_id, consumer_name,
    outcome, requests, bytes_in, bytes_out, reported, latency_sum_ms, latency_max_ms, upstream_requests,
    upstream_sum_ms, lat_20, lat_28, lat_40)
  SELECT 'production', ${MINUTE_MS}, start, 'GET /v1/resource-' || (k % 20) || '/:id',
    CASE WHEN k % 10 < 8 THEN 200 WHEN k % 10 = 8 THEN 429 ELSE 502 END,
    'con_bench' || (k / 20), 'customer-' || (k / 20),
    CASE WHEN k % 10 < 8 THEN 'ok' WHEN k % 10 = 8 THEN 'rate-limited' ELSE 'upstream-error' END,
    requests, 0, requests * 1500, 0, requests * 45, 400, requests, requests * 43,
    requests / 2, requests - requests / 2 - requests / 10, requests / 10
  FROM row WHERE start BETWEEN ?3 AND ?4`;

/** Sums a day's minute rows into hour rows. */
const HOURS_OF_DAY = `INSERT INTO analytics_rollups
  SELECT environment, ${HOUR_MS}, start / ${HOUR_MS} * ${HOUR_MS}, route, status, consumer_id,
    MAX(consumer_name), outcome, SUM(requests), SUM(bytes_in), SUM(bytes_out), SUM(reported),
    SUM(latency_sum_ms), MAX(latency_max_ms), SUM(upstream_requests), SUM(upstream_sum_ms),
    ${SUM_LATENCY_COUNTS}
  FROM analytics_rollups WHERE period_ms = ${MINUTE_MS} AND start >= ?1 AND start < ?1 + ${DAY_MS}
  GROUP BY environment, start / ${HOUR_MS}, route, status, consumer_id, outcome`;

/** Replaces the rollups with `days` days up to `now`; answers how many rows of each period it made. */
export async function seedRollups(
  db: Database,
  now: number,
  days: number,
  keysPerMinute: number,
): Promise<Seeded> {
  await db.prepare('DELETE FROM analytics_rollups').bind().run();
  const from = now - days * DAY_MS;
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day <= now; day += DAY_MS) {
    await db.prepare(SEED_DAY).bind(day, keysPerMinute, from, now).run();
    await db.prepare(HOURS_OF_DAY).bind(day).run();
  }
  const count = (periodMs: number) =>
    db
      .prepare('SELECT COUNT(*) AS n FROM analytics_rollups WHERE period_ms = ?')
      .bind(periodMs)
      .first<number>('n');
  return { minuteRows: (await count(MINUTE_MS)) ?? 0, hourRows: (await count(HOUR_MS)) ?? 0 };
}
