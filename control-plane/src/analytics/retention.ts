/**
 * How long analytics rows are kept, applied by the hourly cron trigger
 * (control-plane/wrangler.toml `[triggers]`, the worker's `scheduled` handler): minute
 * rollups 7 days (the 1 h and 24 h ranges read them), hour rollups 90 days (7 d and 30 d),
 * and the ids of counted events 24 hours, far longer than a Queue redelivers a batch
 * (retries follow within minutes). The recent-request log keeps each environment's
 * newest 500 events, trimmed as events arrive (store/analytics-ingest.ts).
 */

import { HOUR_MS, MINUTE_MS } from '../store/analytics-ingest.ts';
import { deleteExpired } from '../store/analytics-retention.ts';

const DAY_MS = 24 * HOUR_MS;
export const MINUTE_ROWS_KEPT_MS = 7 * DAY_MS;
export const HOUR_ROWS_KEPT_MS = 90 * DAY_MS;
export const SEEN_IDS_KEPT_MS = DAY_MS;

export async function applyRetention(db: D1Database, now: number): Promise<void> {
  await deleteExpired(db, {
    rollups: [
      { periodMs: MINUTE_MS, before: now - MINUTE_ROWS_KEPT_MS },
      { periodMs: HOUR_MS, before: now - HOUR_ROWS_KEPT_MS },
    ],
    seenBefore: now - SEEN_IDS_KEPT_MS,
  });
}
