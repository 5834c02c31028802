/**
 * Turns raw rounds into one figure per target and measure, and checks the gateway against
 * the targets of issue 2 and the rate-limited routes against those of issue 5. Throughput and wrk latencies are the median over rounds; the
 * one-connection percentiles come from the samples of all rounds pooled.
 */
import type { Measurements, RoundResult, TargetId } from './measure.ts';
import { median, percentile } from './stats.ts';

export interface TargetSummary {
  readonly id: TargetId;
  readonly label: string;
  readonly url: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly sequentialP50Ms: number;
  readonly sequentialP99Ms: number;
  readonly non2xx: number;
  readonly socketErrors: number;
  readonly rounds: readonly RoundResult[];
}

export interface Goal {
  readonly description: string;
  readonly actual: string;
  readonly met: boolean;
}

export const THROUGHPUT_GOAL = 0.9;
export const LATENCY_GOAL_MS = 0.1;

export function summarise({ target, rounds, sequentialSamples }: Measurements): TargetSummary {
  const wrk = rounds.map((round) => round.wrk);
  return {
    ...target,
    requestsPerSecond: median(wrk.map((run) => run.requestsPerSecond)),
    p50Ms: median(wrk.map((run) => run.p50Ms)),
    p99Ms: median(wrk.map((run) => run.p99Ms)),
    sequentialP50Ms: percentile(sequentialSamples, 50),
    sequentialP99Ms: percentile(sequentialSamples, 99),
    non2xx: wrk.reduce((sum, run) => sum + run.non2xx, 0),
    socketErrors: wrk.reduce((sum, run) => sum + run.socketErrors, 0),
    rounds,
  };
}

export function byId(summaries: readonly TargetSummary[], id: TargetId): TargetSummary {
  const summary = summaries.find((candidate) => candidate.id === id);
  if (!summary) throw new Error(`no results for target ${id}`);
  return summary;
}

export function evaluateGoals(summaries: readonly TargetSummary[]): Goal[] {
  const bare = byId(summaries, 'bare');
  const gateway = byId(summaries, 'gateway');
  const throughput = gateway.requestsPerSecond / bare.requestsPerSecond;
  const latency = gateway.sequentialP50Ms - bare.sequentialP50Ms;
  return [
    {
      description: `gateway throughput at 50 connections >= ${THROUGHPUT_GOAL}x the bare proxy's`,
      actual: `${throughput.toFixed(2)}x`,
      met: throughput >= THROUGHPUT_GOAL,
    },
    {
      description: `gateway median latency at 1 connection <= bare proxy + ${LATENCY_GOAL_MS} ms`,
      actual: `${signed(latency, 3)} ms`,
      met: latency <= LATENCY_GOAL_MS,
    },
  ];
}

/** Issue 5: each limited route's throughput against the route without a limit. */
export const RATE_LIMIT_GOALS: readonly {
  readonly id: TargetId;
  readonly what: string;
  readonly atLeast: number;
}[] = [
  { id: 'limit-strict', what: 'a strict limit never reached', atLeast: 0.6 },
  { id: 'limit-async', what: 'an async limit never reached', atLeast: 0.85 },
  { id: 'limit-exceeded', what: 'a limit exceeded (refused at the edge)', atLeast: 1.0 },
];

export function evaluateRateLimitGoals(summaries: readonly TargetSummary[]): Goal[] {
  const none = byId(summaries, 'limit-none');
  return RATE_LIMIT_GOALS.map(({ id, what, atLeast }) => {
    const ratio = byId(summaries, id).requestsPerSecond / none.requestsPerSecond;
    return {
      description: `throughput with ${what} >= ${atLeast}x the route without one`,
      actual: `${ratio.toFixed(2)}x`,
      met: ratio >= atLeast,
    };
  });
}

export const signed = (value: number, digits: number): string =>
  `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
