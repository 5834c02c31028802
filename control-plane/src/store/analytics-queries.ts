/**
 * Reads for the analytics API: rollup rows summed per time slot or per route, consumer
 * or status over a window, the recent-request log, and the deployments made in a window
 * (chart markers). Every rollup read is a range scan of one environment's rows of one
 * period (the primary key's prefix).
 */
import type { AnalyticsEvent } from '../../../src/config/analytics-event.ts';
import { histogramOf, SUM_LATENCY_COUNTS } from './analytics-columns.ts';

export interface RollupFilter {
  readonly environment: string;
  /** Which rows: MINUTE_MS or HOUR_MS (analytics-ingest.ts). */
  readonly periodMs: number;
  /** Rows whose period starts in [from, to), ms since the epoch. */
  readonly from: number;
  readonly to: number;
  /** Only this route's rows ('' for requests no route matched). */
  readonly route?: string;
  /** Only this consumer's rows ('' for anonymous requests). */
  readonly consumer?: string;
}

/** Sums over a group of rollup rows. */
export interface RollupTotals {
  readonly requests: number;
  /** 5xx responses, and 4xx. */
  readonly errors: number;
  readonly clientErrors: number;
  readonly rateLimited: number;
  readonly authRejected: number;
  readonly reported: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly latencySumMs: number;
  readonly latencyMaxMs: number;
  readonly upstreamRequests: number;
  readonly upstreamSumMs: number;
  /** The merged latency histogram, one count per bucket. */
  readonly histogram: readonly number[];
}

export interface RollupGroup extends RollupTotals {
  /** The slot's start (by slot), route id, consumer id or status code. */
  readonly key: string | number;
  /** The consumer's latest name, when grouped by consumer. */
  readonly name: string;
}

export type Grouping =
  | { readonly by: 'slot'; readonly stepMs: number }
  | { readonly by: 'route' | 'consumer' | 'status' };

const GROUP_KEYS: Readonly<Record<Grouping['by'], string>> = {
  slot: 'start / ?1 * ?1',
  route: 'route',
  consumer: 'consumer_id',
  status: 'status',
};

const TOTALS = `SUM(requests) AS requests,
  SUM(CASE WHEN status >= 500 THEN requests ELSE 0 END) AS errors,
  SUM(CASE WHEN status BETWEEN 400 AND 499 THEN requests ELSE 0 END) AS client_errors,
  SUM(CASE WHEN outcome = 'rate-limited' THEN requests ELSE 0 END) AS rate_limited,
  SUM(CASE WHEN outcome = 'auth-rejected' THEN requests ELSE 0 END) AS auth_rejected,
  SUM(reported) AS reported, SUM(bytes_in) AS bytes_in, SUM(bytes_out) AS bytes_out,
  SUM(latency_sum_ms) AS latency_sum_ms, MAX(latency_max_ms) AS latency_max_ms,
  SUM(upstream_requests) AS upstream_requests, SUM(upstream_sum_ms) AS upstream_sum_ms,
  ${SUM_LATENCY_COUNTS}`;

/**
 * The filter's rows summed per group: per time slot in time order, else busiest first
 * (at most `limit` groups).
 */
export async function sumRollups(
  db: D1Database,
  filter: RollupFilter,
  grouping: Grouping,
  limit = 1000,
): Promise<RollupGroup[]> {
  const step = grouping.by === 'slot' ? grouping.stepMs : 1;
  const conditions = ['environment = ?2', 'period_ms = ?3', 'start >= ?4', 'start < ?5'];
  if (filter.route !== undefined) conditions.push('route = ?6');
  if (filter.consumer !== undefined) conditions.push('consumer_id = ?7');
  const order = grouping.by === 'slot' ? 'group_key' : 'requests DESC, group_key';
  const sql = `SELECT ${GROUP_KEYS[grouping.by]} AS group_key, MAX(consumer_name) AS name, ${TOTALS}
    FROM analytics_rollups WHERE ${conditions.join(' AND ')}
    GROUP BY group_key ORDER BY ${order} LIMIT ?8`;
  const { results } = await db
    .prepare(sql)
    .bind(
      step,
      filter.environment,
      filter.periodMs,
      filter.from,
      filter.to,
      filter.route ?? '',
      filter.consumer ?? '',
      limit,
    )
    .all<Record<string, unknown>>();
  return results.map(groupOf);
}

function groupOf(row: Record<string, unknown>): RollupGroup {
  const count = (column: string) => Number(row[column] ?? 0);
  return {
    key: row.group_key as string | number,
    name: String(row.name ?? ''),
    requests: count('requests'),
    errors: count('errors'),
    clientErrors: count('client_errors'),
    rateLimited: count('rate_limited'),
    authRejected: count('auth_rejected'),
    reported: count('reported'),
    bytesIn: count('bytes_in'),
    bytesOut: count('bytes_out'),
    latencySumMs: count('latency_sum_ms'),
    latencyMaxMs: count('latency_max_ms'),
    upstreamRequests: count('upstream_requests'),
    upstreamSumMs: count('upstream_sum_ms'),
    histogram: histogramOf(row),
  };
}

/** An environment's newest events, newest first. */
export async function recentEvents(
  db: D1Database,
  environment: string,
  limit: number,
): Promise<AnalyticsEvent[]> {
  const { results } = await db
    .prepare(
      'SELECT event FROM analytics_recent_requests WHERE environment = ? ORDER BY time DESC, id DESC LIMIT ?',
    )
    .bind(environment, limit)
    .all<{ event: string }>();
  return results.map((row) => JSON.parse(row.event) as AnalyticsEvent);
}

export interface DeploymentMarker {
  readonly id: string;
  readonly status: string;
  readonly commit: string;
  readonly author: string;
  readonly message: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** The environment's deployments created in [from, to) (ISO 8601 times), oldest first. */
export async function deploymentsBetween(
  db: D1Database,
  environment: string,
  from: string,
  to: string,
  limit: number,
): Promise<DeploymentMarker[]> {
  const { results } = await db
    .prepare(
      `SELECT id, status, commit_id, author, message, created_at, finished_at FROM deployments
       WHERE environment = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id LIMIT ?`,
    )
    .bind(environment, from, to, limit)
    .all<Record<string, string | null>>();
  return results.map((row) => ({
    id: row.id!,
    status: row.status!,
    commit: row.commit_id!,
    author: row.author!,
    message: row.message!,
    createdAt: row.created_at!,
    finishedAt: row.finished_at ?? null,
  }));
}
