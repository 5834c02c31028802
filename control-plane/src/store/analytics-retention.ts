/**
 * Deletes analytics rows past their retention (control-plane/src/analytics/retention.ts
 * says how long each kind is kept): rollup rows of one period older than a cutoff, and
 * the ids of events counted before a cutoff. Each delete is a range scan of an age index.
 */

export interface AnalyticsCutoffs {
  /** Delete rollup rows of each period (ms) whose start is before the cutoff (ms). */
  readonly rollups: readonly { readonly periodMs: number; readonly before: number }[];
  /** Delete seen event ids counted before this (ms). */
  readonly seenBefore: number;
}

export async function deleteExpired(db: D1Database, cutoffs: AnalyticsCutoffs): Promise<void> {
  await db.batch([
    ...cutoffs.rollups.map(({ periodMs, before }) =>
      db.prepare('DELETE FROM analytics_rollups WHERE period_ms = ? AND start < ?').bind(periodMs, before),
    ),
    db.prepare('DELETE FROM analytics_seen_events WHERE seen_at < ?').bind(cutoffs.seenBefore),
  ]);
}
