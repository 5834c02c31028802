/**
 * Latency percentiles from a merged histogram (latency-buckets.ts): the bucket holding
 * the nearest-rank quantile is found exactly from the counts, and the value is
 * interpolated linearly within it, assuming its values are spread evenly.
 *
 * Error bound: the estimate lies in the same bucket as the true value, so it is exact
 * below 8 ms and off by less than the bucket's width above: under 25% of the true value
 * (typically far less). In the overflow bucket (131 s and up) it lies between 131 s and
 * the largest latency seen.
 */
import { lowerBound, OVERFLOW_BUCKET, upperBound } from './latency-buckets.ts';

export interface LatencyPercentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/**
 * The q-quantile (0 < q <= 1) of the latencies counted in `counts`, or null when there
 * are none. `maxMs` is the largest latency seen, which bounds the overflow bucket.
 */
export function quantile(counts: readonly number[], q: number, maxMs: number): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.min(total, Math.max(1, Math.ceil(q * total)));
  let before = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    const count = counts[bucket] ?? 0;
    if (before + count >= rank) return withinBucket(bucket, (rank - before - 0.5) / count, maxMs);
    before += count;
  }
  return maxMs;
}

export function percentiles(counts: readonly number[], maxMs: number): LatencyPercentiles | null {
  const p50 = quantile(counts, 0.5, maxMs);
  if (p50 === null) return null;
  return { p50, p95: quantile(counts, 0.95, maxMs)!, p99: quantile(counts, 0.99, maxMs)! };
}

/** Whole-millisecond values in the bucket run from its lower bound to `highest`. */
function withinBucket(bucket: number, fraction: number, maxMs: number): number {
  const lowest = lowerBound(bucket);
  const highest =
    bucket === OVERFLOW_BUCKET ? Math.max(lowest, maxMs) : Math.min(upperBound(bucket) - 1, maxMs);
  return Math.round((lowest + (Math.max(lowest, highest) - lowest) * fraction) * 10) / 10;
}
