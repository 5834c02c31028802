/**
 * The time ranges the analytics API and dashboard offer, each with the rollup rows it
 * reads and the step of its time series: short ranges read minute rows (kept 7 days),
 * long ones hour rows. A window ends at the end of the step holding `now`, so the
 * current, still filling, step is the series' last point.
 */
import { HOUR_MS, MINUTE_MS } from '../store/analytics-ingest.ts';

export const RANGES = ['1h', '24h', '7d', '30d'] as const;
export type Range = (typeof RANGES)[number];

interface RangeSpec {
  readonly durationMs: number;
  readonly periodMs: number;
  readonly stepMs: number;
}

const SPECS: Readonly<Record<Range, RangeSpec>> = {
  '1h': { durationMs: HOUR_MS, periodMs: MINUTE_MS, stepMs: MINUTE_MS },
  '24h': { durationMs: 24 * HOUR_MS, periodMs: MINUTE_MS, stepMs: 15 * MINUTE_MS },
  '7d': { durationMs: 7 * 24 * HOUR_MS, periodMs: HOUR_MS, stepMs: HOUR_MS },
  '30d': { durationMs: 30 * 24 * HOUR_MS, periodMs: HOUR_MS, stepMs: 6 * HOUR_MS },
};

export interface Window {
  /** [from, to) in ms since the epoch, both multiples of stepMs. */
  readonly from: number;
  readonly to: number;
  readonly stepMs: number;
  /** Which rollup rows to read. */
  readonly periodMs: number;
}

export function windowOf(range: Range, now: number): Window {
  const { durationMs, periodMs, stepMs } = SPECS[range];
  const to = (Math.floor(now / stepMs) + 1) * stepMs;
  return { from: to - durationMs, to, stepMs, periodMs };
}
