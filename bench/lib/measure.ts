/**
 * The measurement loop. Every round runs every target once, wrk at 50 connections then
 * the one-connection client, and the order rotates between rounds, so a slow phase of
 * a busy machine (or a JIT warming up) is spread over all targets instead of landing
 * on one. A warm-up pass first fills JIT and isolate caches and is thrown away.
 */

import { runSequential } from './sequential.ts';
import { percentile } from './stats.ts';
import { runWrk, type WrkLoad, type WrkResult } from './wrk.ts';

export type TargetId =
  | 'upstream'
  | 'bare'
  | 'gateway'
  | 'limit-none'
  | 'limit-strict'
  | 'limit-async'
  | 'limit-exceeded';

export interface Target {
  readonly id: TargetId;
  readonly label: string;
  readonly url: string;
  /** The status every answer must have (200 unless the target refuses on purpose). */
  readonly status?: number;
}

export interface RoundResult {
  readonly round: number;
  /** Position of this target within its round, from 1. */
  readonly position: number;
  readonly wrk: WrkResult;
  readonly sequentialP50Ms: number;
  readonly sequentialP99Ms: number;
}

export interface Measurements {
  readonly target: Target;
  readonly rounds: RoundResult[];
  /** One-connection latencies of every round, pooled, in ms. */
  readonly sequentialSamples: number[];
}

export interface MeasureOptions {
  readonly load: WrkLoad;
  readonly rounds: number;
  readonly sequentialRequests: number;
}

const WARM_UP_SECONDS = 2;

export async function warmUp(targets: readonly Target[], options: MeasureOptions): Promise<void> {
  for (const target of targets) {
    await runWrk(target.url, { ...options.load, durationSeconds: WARM_UP_SECONDS });
    await runSequential(target.url, Math.min(200, options.sequentialRequests), target.status);
  }
}

export async function measure(
  targets: readonly Target[],
  options: MeasureOptions,
  progress: (line: string) => void,
): Promise<Measurements[]> {
  const results = targets.map((target): Measurements => ({ target, rounds: [], sequentialSamples: [] }));
  for (let round = 1; round <= options.rounds; round++) {
    const shift = (round - 1) % results.length;
    const order = [...results.slice(shift), ...results.slice(0, shift)];
    for (const [index, measurements] of order.entries()) {
      const { url, label, status } = measurements.target;
      const wrk = await runWrk(url, options.load);
      const samples = await runSequential(url, options.sequentialRequests, status);
      measurements.sequentialSamples.push(...samples);
      const result: RoundResult = {
        round,
        position: index + 1,
        wrk,
        sequentialP50Ms: percentile(samples, 50),
        sequentialP99Ms: percentile(samples, 99),
      };
      measurements.rounds.push(result);
      progress(
        `  round ${round}/${options.rounds}  ${label.padEnd(14)} ${Math.round(wrk.requestsPerSecond)} req/s, ` +
          `p50 ${wrk.p50Ms.toFixed(2)} ms @${options.load.connections}; ` +
          `p50 ${result.sequentialP50Ms.toFixed(3)} ms @1`,
      );
    }
  }
  return results;
}
