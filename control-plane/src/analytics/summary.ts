/**
 * Turns summed rollup rows into what the analytics API answers: counts, the error rate,
 * latency percentiles from the merged histogram (quantiles.ts), and a time series with
 * every step present, empty ones as zeros.
 */
import type { RollupGroup, RollupTotals } from '../store/analytics-queries.ts';
import { BUCKET_COUNT } from './latency-buckets.ts';
import { type LatencyPercentiles, percentiles } from './quantiles.ts';
import type { Window } from './ranges.ts';

export interface Summary {
  readonly requests: number;
  /** 5xx responses; errorRate is their share of requests (0 without requests). */
  readonly errors: number;
  readonly errorRate: number;
  readonly clientErrors: number;
  readonly rateLimited: number;
  readonly authRejected: number;
  /** Requests a report-mode policy would have refused. */
  readonly reportedRefusals: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly latencyMs: (LatencyPercentiles & { readonly mean: number; readonly max: number }) | null;
  readonly upstreamLatencyMs: { readonly mean: number } | null;
}

export const NO_TRAFFIC: RollupTotals = {
  requests: 0,
  errors: 0,
  clientErrors: 0,
  rateLimited: 0,
  authRejected: 0,
  reported: 0,
  bytesIn: 0,
  bytesOut: 0,
  latencySumMs: 0,
  latencyMaxMs: 0,
  upstreamRequests: 0,
  upstreamSumMs: 0,
  histogram: new Array<number>(BUCKET_COUNT).fill(0),
};

export function summarise(totals: RollupTotals): Summary {
  const { requests } = totals;
  const quantiles = percentiles(totals.histogram, totals.latencyMaxMs);
  return {
    requests,
    errors: totals.errors,
    errorRate: requests === 0 ? 0 : round(totals.errors / requests, 4),
    clientErrors: totals.clientErrors,
    rateLimited: totals.rateLimited,
    authRejected: totals.authRejected,
    reportedRefusals: totals.reported,
    bytesIn: totals.bytesIn,
    bytesOut: totals.bytesOut,
    latencyMs: quantiles && {
      ...quantiles,
      mean: round(totals.latencySumMs / requests, 1),
      max: totals.latencyMaxMs,
    },
    upstreamLatencyMs:
      totals.upstreamRequests === 0
        ? null
        : { mean: round(totals.upstreamSumMs / totals.upstreamRequests, 1) },
  };
}

/** Adds up groups: counts and histograms add, the maximum is the largest. */
export function mergeTotals(groups: readonly RollupTotals[]): RollupTotals {
  return groups.reduce(
    (sum, group) => ({
      requests: sum.requests + group.requests,
      errors: sum.errors + group.errors,
      clientErrors: sum.clientErrors + group.clientErrors,
      rateLimited: sum.rateLimited + group.rateLimited,
      authRejected: sum.authRejected + group.authRejected,
      reported: sum.reported + group.reported,
      bytesIn: sum.bytesIn + group.bytesIn,
      bytesOut: sum.bytesOut + group.bytesOut,
      latencySumMs: sum.latencySumMs + group.latencySumMs,
      latencyMaxMs: Math.max(sum.latencyMaxMs, group.latencyMaxMs),
      upstreamRequests: sum.upstreamRequests + group.upstreamRequests,
      upstreamSumMs: sum.upstreamSumMs + group.upstreamSumMs,
      histogram: sum.histogram.map((count, bucket) => count + (group.histogram[bucket] ?? 0)),
    }),
    NO_TRAFFIC,
  );
}

export interface SeriesPoint extends Summary {
  /** The step's start, ISO 8601. */
  readonly time: string;
}

/** One point per step of the window, in time order; steps without rows count zero. */
export function seriesOf(window: Window, slots: readonly RollupGroup[]): SeriesPoint[] {
  const bySlot = new Map(slots.map((slot) => [Number(slot.key), slot]));
  const points: SeriesPoint[] = [];
  for (let start = window.from; start < window.to; start += window.stepMs) {
    points.push({ time: new Date(start).toISOString(), ...summarise(bySlot.get(start) ?? NO_TRAFFIC) });
  }
  return points;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
