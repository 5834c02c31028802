/**
 * How the dashboard writes numbers and times: counts with thousands separators, shares
 * as percentages, latencies in ms or s, and times in UTC (the control plane does not know
 * the reader's time zone; the charts, drawn in the browser, use the reader's).
 */

const COUNT = new Intl.NumberFormat('en-US');

export function count(value: number): string {
  return COUNT.format(value);
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(share === 0 || share >= 0.1 ? 1 : 2)}%`;
}

export function latency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms * 10) / 10} ms`;
}

/** `2026-11-26 14:03:07 UTC`. */
export function utcTime(iso: string | number): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A commit id as people say it: its first seven characters. */
export function shortCommit(commit: string): string {
  return /^[0-9a-f]{8,}$/i.test(commit) ? commit.slice(0, 7) : commit;
}
