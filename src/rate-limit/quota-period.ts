/**
 * Quota arithmetic, pure with `now` passed in: which UTC calendar period (hour, day,
 * month) a moment falls in, when the next one starts, and what a stored usage counter
 * means at `now` (a counter of an earlier period counts as zero: allowances reset at
 * the start of each period rather than sliding).
 */
import type { QuotaPeriod } from './protocol.ts';

export interface PeriodBounds {
  /** Epoch ms of the period's first millisecond. */
  readonly start: number;
  /** Epoch ms of the next period's start. */
  readonly end: number;
}

const HOUR_MS = 3_600_000;

/** The UTC calendar period of `period` kind that contains `now`. */
export function periodBounds(period: QuotaPeriod, now: number): PeriodBounds {
  switch (period) {
    case 'hour': {
      const start = Math.floor(now / HOUR_MS) * HOUR_MS;
      return { start, end: start + HOUR_MS };
    }
    case 'day': {
      const date = new Date(now);
      const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()];
      return { start: Date.UTC(year, month, day), end: Date.UTC(year, month, day + 1) };
    }
    case 'month': {
      const date = new Date(now);
      const [year, month] = [date.getUTCFullYear(), date.getUTCMonth()];
      return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
    }
  }
}

/** A usage counter as stored: how much was used in the period that starts at `start`. */
export interface QuotaUsage {
  readonly start: number;
  readonly used: number;
}

export interface QuotaStanding {
  /** The counter for the current period, after this call (persist it when `op` was add). */
  readonly usage: QuotaUsage;
  readonly used: number;
  readonly remaining: number;
  readonly resetAt: number;
}

/**
 * Applies `check` (count nothing) or `add` (count one) to a stored counter at `now`.
 * `add` always counts: a quota counts responses already sent, so it cannot refuse them.
 */
export function settleQuota(
  stored: QuotaUsage | undefined,
  request: { readonly period: QuotaPeriod; readonly allowance: number; readonly op: 'check' | 'add' },
  now: number,
): QuotaStanding {
  const { start, end } = periodBounds(request.period, now);
  const before = stored !== undefined && stored.start === start ? stored.used : 0;
  const used = before + (request.op === 'add' ? 1 : 0);
  return {
    usage: { start, used },
    used,
    remaining: Math.max(0, request.allowance - used),
    resetAt: end,
  };
}
