/**
 * Percentiles from merged histograms against the exact nearest-rank percentile of the
 * same latencies: on random data split into random parts (routes, minutes), whose
 * histograms are merged by adding counts, the estimate lies in the same bucket as the
 * exact value, so it is exact below 8 ms, within 25% up to 131 s, and never above the
 * largest latency in the overflow bucket beyond. And the bucket layout
 * itself: contiguous, each value in the bucket whose bounds hold it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKET_COUNT, bucketOf, lowerBound, OVERFLOW_BUCKET, upperBound } from './latency-buckets.ts';
import { percentiles, quantile } from './quantiles.ts';

function histogram(latencies: readonly number[]): number[] {
  const counts = new Array<number>(BUCKET_COUNT).fill(0);
  for (const latency of latencies) counts[bucketOf(latency)]! += 1;
  return counts;
}

function merge(histograms: readonly number[][]): number[] {
  return histograms.reduce((sum, counts) => sum.map((count, bucket) => count + counts[bucket]!));
}

function exactQuantile(latencies: readonly number[], q: number): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

/** Mostly fast, with a long tail into the overflow bucket, as request latencies are. */
const latency = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 50 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 400_000 }) },
);

describe('latency buckets', () => {
  it('are contiguous from 0 to the overflow bucket', () => {
    expect(lowerBound(0)).toBe(0);
    for (let bucket = 1; bucket < BUCKET_COUNT; bucket++) {
      expect(lowerBound(bucket)).toBe(upperBound(bucket - 1));
      expect(upperBound(bucket)).toBeGreaterThan(lowerBound(bucket));
    }
    expect(upperBound(OVERFLOW_BUCKET)).toBe(Number.POSITIVE_INFINITY);
    expect([lowerBound(8), upperBound(8), lowerBound(OVERFLOW_BUCKET)]).toEqual([8, 10, 131_072]);
  });

  it('put each latency in the bucket whose bounds hold it, none wider than a quarter of its start', () => {
    fc.assert(
      fc.property(latency, (ms) => {
        const bucket = bucketOf(ms);
        expect(lowerBound(bucket)).toBeLessThanOrEqual(ms);
        expect(ms).toBeLessThan(upperBound(bucket));
        if (bucket >= 8 && bucket < OVERFLOW_BUCKET) {
          expect(upperBound(bucket) - lowerBound(bucket)).toBeLessThanOrEqual(lowerBound(bucket) / 4);
        }
      }),
    );
  });
});

describe('percentiles from merged histograms', () => {
  it('land in the bucket of the exact percentile of all the data', () => {
    const parts = fc.array(fc.array(latency, { minLength: 1, maxLength: 60 }), {
      minLength: 1,
      maxLength: 12,
    });
    const q = fc.oneof(fc.constantFrom(0.5, 0.95, 0.99), fc.double({ min: 0.01, max: 1, noNaN: true }));
    fc.assert(
      fc.property(parts, q, (split, fraction) => {
        const all = split.flat();
        const estimate = quantile(merge(split.map(histogram)), fraction, Math.max(...all))!;
        const exact = exactQuantile(all, fraction);
        expect(bucketOf(estimate)).toBe(bucketOf(exact));
        if (exact < 8) expect(estimate).toBe(exact);
        else if (bucketOf(exact) < OVERFLOW_BUCKET)
          expect(Math.abs(estimate - exact)).toBeLessThan(exact / 4);
        else expect(estimate).toBeLessThanOrEqual(Math.max(...all));
      }),
    );
  });

  it('are exact for a known spread, and absent without data', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i % 8);
    expect(percentiles(histogram(latencies), 7)).toEqual({ p50: 3, p95: 7, p99: 7 });
    expect(percentiles(histogram([]), 0)).toBeNull();
  });

  it('bound the overflow bucket by the largest latency seen', () => {
    const counts = histogram([200_000, 250_000]);
    const p99 = quantile(counts, 0.99, 250_000)!;
    expect(p99).toBeGreaterThanOrEqual(131_072);
    expect(p99).toBeLessThanOrEqual(250_000);
  });
});
