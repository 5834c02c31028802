/**
 * The latency histogram's buckets, fixed for every rollup row so histograms merge by
 * adding counts: across routes, consumers, minutes and hours alike (the rollups keep one
 * count column per bucket, control-plane/migrations/0012_create_analytics.sql).
 *
 * Latencies are whole milliseconds (the Workers clock has no finer resolution). Below
 * 8 ms each value has its own bucket; from 8 ms on, each power of two is split into four
 * equal buckets ([8,10), [10,12), ..., [16,20), ...), so a bucket is at most a quarter
 * as wide as its lower bound: a log-linear layout like HdrHistogram's. From 2^17 ms
 * (131 s, past most upstream timeouts) one overflow bucket takes the rest.
 */

/** Values below this have a bucket each. */
const EXACT_BELOW = 8;
/** Buckets per power of two from EXACT_BELOW on; a power of two itself. */
const SUB_BUCKETS = 4;
const FIRST_OCTAVE = Math.log2(EXACT_BELOW);
/** The overflow bucket starts at 2^LAST_OCTAVE ms. */
const LAST_OCTAVE = 17;
const OVERFLOW_FROM = 2 ** LAST_OCTAVE;

export const BUCKET_COUNT = EXACT_BELOW + (LAST_OCTAVE - FIRST_OCTAVE) * SUB_BUCKETS + 1;
export const OVERFLOW_BUCKET = BUCKET_COUNT - 1;

/** The bucket of a latency in ms (rounded down to a whole ms; negative counts as 0). */
export function bucketOf(latencyMs: number): number {
  const value = Math.max(0, Math.floor(latencyMs));
  if (value < EXACT_BELOW) return value;
  if (value >= OVERFLOW_FROM) return OVERFLOW_BUCKET;
  const octave = 31 - Math.clz32(value);
  const sub = (value >>> (octave - 2)) - SUB_BUCKETS;
  return EXACT_BELOW + (octave - FIRST_OCTAVE) * SUB_BUCKETS + sub;
}

/** The smallest latency in the bucket. */
export function lowerBound(bucket: number): number {
  if (bucket < EXACT_BELOW) return bucket;
  if (bucket >= OVERFLOW_BUCKET) return OVERFLOW_FROM;
  const offset = bucket - EXACT_BELOW;
  const octave = FIRST_OCTAVE + Math.floor(offset / SUB_BUCKETS);
  return (SUB_BUCKETS + (offset % SUB_BUCKETS)) * 2 ** (octave - 2);
}

/** The smallest latency above the bucket; Infinity for the overflow bucket. */
export function upperBound(bucket: number): number {
  return bucket >= OVERFLOW_BUCKET ? Number.POSITIVE_INFINITY : lowerBound(bucket + 1);
}
