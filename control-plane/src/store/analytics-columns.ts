/**
 * The latency histogram's columns in analytics_rollups (lat_00 ... lat_64, one per bucket
 * of control-plane/src/analytics/latency-buckets.ts), and the SQL fragments that fill and
 * sum them, generated from the bucket count so the ingest and the queries cannot drift.
 */
import { BUCKET_COUNT } from '../analytics/latency-buckets.ts';

export const LATENCY_COLUMNS: readonly string[] = Array.from(
  { length: BUCKET_COUNT },
  (_, bucket) => `lat_${String(bucket).padStart(2, '0')}`,
);

/** The bucket counts of a group of events, given each event's bucket as `bucketExpression`. */
export function countBuckets(bucketExpression: string): string {
  return LATENCY_COLUMNS.map((_, bucket) => `SUM(${bucketExpression} = ${bucket})`).join(', ');
}

/** Upsert assignments adding a row's counts to the stored ones. */
export const ADD_LATENCY_COUNTS = LATENCY_COLUMNS.map(
  (column) => `${column} = ${column} + excluded.${column}`,
).join(', ');

/** A merged histogram over the rows of a group, as columns named like the stored ones. */
export const SUM_LATENCY_COUNTS = LATENCY_COLUMNS.map((column) => `SUM(${column}) AS ${column}`).join(', ');

export function histogramOf(row: Readonly<Record<string, unknown>>): number[] {
  return LATENCY_COLUMNS.map((column) => Number(row[column] ?? 0));
}
