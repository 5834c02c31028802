/**
 * What `npm run bench` prints: tables with one row per target, every figure next to its
 * comparison with the table's reference target measured in the same run (a ratio at 50
 * connections, a difference in ms at one connection), the req/s of each round so the
 * noise is visible, and the issues' targets, met or not.
 */
import type { TargetId } from './measure.ts';
import { byId, type Goal, signed, type TargetSummary } from './summary.ts';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatTable(
  summaries: readonly TargetSummary[],
  connections: number,
  referenceId: TargetId,
): string {
  const bare = byId(summaries, referenceId);
  const ratio = (value: number, reference: number) => `(${(value / reference).toFixed(2)}x)`;
  const delta = (value: number, reference: number) => `(${signed(value - reference, 3)})`;
  const header = [
    'target',
    `req/s @${connections}`,
    `p50 @${connections}`,
    `p99 @${connections}`,
    'p50 @1',
    'p99 @1',
  ];
  const rows = summaries.map((s) => [
    s.label,
    `${number.format(s.requestsPerSecond)} ${ratio(s.requestsPerSecond, bare.requestsPerSecond)}`,
    `${s.p50Ms.toFixed(2)} ms ${ratio(s.p50Ms, bare.p50Ms)}`,
    `${s.p99Ms.toFixed(2)} ms ${ratio(s.p99Ms, bare.p99Ms)}`,
    `${s.sequentialP50Ms.toFixed(3)} ms ${delta(s.sequentialP50Ms, bare.sequentialP50Ms)}`,
    `${s.sequentialP99Ms.toFixed(3)} ms ${delta(s.sequentialP99Ms, bare.sequentialP99Ms)}`,
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => cell.padEnd(widths[column]!)).join('   ');
  return [
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `@${connections}: wrk, ${connections} connections; @1: one keep-alive connection, one request at a time.`,
    `In brackets: against the ${bare.label} (x = ratio; +/- = difference in ms).`,
    `req/s by round: ${summaries.map((s) => `${s.label} ${s.rounds.map((r) => number.format(r.wrk.requestsPerSecond)).join(' / ')}`).join('; ')}`,
    ...summaries
      .filter((s) => (s.id === 'limit-exceeded' ? 0 : s.non2xx) + s.socketErrors > 0)
      .map(
        (s) =>
          `WARNING: ${s.label} had ${s.non2xx} non-2xx responses and ${s.socketErrors} socket errors under load.`,
      ),
  ].join('\n');
}

export function formatGoals(title: string, goals: readonly Goal[]): string {
  const width = Math.max(...goals.map((goal) => goal.description.length));
  return [
    `Targets (${title}):`,
    ...goals.map(
      (goal) =>
        `  ${goal.description.padEnd(width)}   ${goal.actual.padStart(9)}   ${goal.met ? 'met' : 'NOT MET'}`,
    ),
  ].join('\n');
}
