/**
 * Helpers for the analytics tests: events (test/support/analytics-events.ts) delivered
 * to the worker's real queue() handler as Queue batches (with the ack and retry state
 * read back), and the rows they leave in D1. Each test uses an environment of its own.
 */
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  type QueueResult,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../control-plane/src/index.ts';

/** A valid event; fields given replace the defaults (the dashboard tests use it too). */
export { sampleEvent as analyticsEvent } from '../support/analytics-events.ts';

export const QUEUE = 'edgeway-analytics';

export interface QueueMessage {
  readonly id: string;
  readonly body: unknown;
}

/** One message per body, with ids a redelivery can reuse. */
export function messagesOf(bodies: readonly unknown[]): QueueMessage[] {
  return bodies.map((body) => ({ id: crypto.randomUUID(), body }));
}

/** Delivers the messages as one batch to the worker's queue() handler, with `db` as its D1. */
export async function deliver(
  messages: readonly QueueMessage[],
  options: { attempts?: number; db?: D1Database } = {},
): Promise<QueueResult> {
  const batch = createMessageBatch(
    QUEUE,
    messages.map(({ id, body }) => ({ id, body, timestamp: new Date(), attempts: options.attempts ?? 1 })),
  );
  await worker.queue(batch, { ...env, DB: options.db ?? env.DB });
  return getQueueResult(batch, createExecutionContext());
}

export interface RollupRow {
  readonly period_ms: number;
  readonly start: number;
  readonly route: string;
  readonly status: number;
  readonly consumer_id: string;
  readonly consumer_name: string;
  readonly outcome: string;
  readonly requests: number;
  readonly bytes_in: number;
  readonly bytes_out: number;
  readonly reported: number;
  readonly latency_sum_ms: number;
  readonly latency_max_ms: number;
  readonly upstream_requests: number;
  readonly upstream_sum_ms: number;
  readonly [bucket: `lat_${string}`]: number;
}

export async function rollupRows(environment: string): Promise<RollupRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT * FROM analytics_rollups WHERE environment = ?
     ORDER BY period_ms, start, route, status, consumer_id, outcome`,
  )
    .bind(environment)
    .all<RollupRow>();
  return results;
}

/** How many requests the environment's minute rows and hour rows count. */
export async function countedRequests(environment: string): Promise<{ minute: number; hour: number }> {
  const row = await env.DB.prepare(
    `SELECT SUM(CASE WHEN period_ms = 60000 THEN requests ELSE 0 END) AS minute,
            SUM(CASE WHEN period_ms = 3600000 THEN requests ELSE 0 END) AS hour
     FROM analytics_rollups WHERE environment = ?`,
  )
    .bind(environment)
    .first<{ minute: number | null; hour: number | null }>();
  return { minute: row?.minute ?? 0, hour: row?.hour ?? 0 };
}

/** The ids in the environment's recent-request log, newest first. */
export async function recentIds(environment: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    'SELECT id FROM analytics_recent_requests WHERE environment = ? ORDER BY time DESC, id DESC',
  )
    .bind(environment)
    .all<{ id: string }>();
  return results.map((row) => row.id);
}

/**
 * The real D1 binding, but the first `failures` batches fail midway: a statement that
 * cannot run is put after the rollup upserts, so D1 has applied some of the batch when it
 * fails and must roll all of it back.
 */
export function failingMidBatch(failures: number): D1Database {
  let failed = 0;
  const db = {
    prepare: (sql: string) => env.DB.prepare(sql),
    batch: (statements: D1PreparedStatement[]) => {
      if (failed >= failures) return env.DB.batch(statements);
      failed += 1;
      const poison = env.DB.prepare('INSERT INTO no_such_table (id) VALUES (1)');
      return env.DB.batch([...statements.slice(0, 2), poison, ...statements.slice(2)]);
    },
  };
  return db as unknown as D1Database;
}
