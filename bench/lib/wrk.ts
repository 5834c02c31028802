/**
 * Load at a fixed number of connections with wrk (https://github.com/wg/wrk): runs it with
 * --latency and reads throughput, the latency distribution and error counts from its
 * text report. wrk is a native program, so the load generator is never the bottleneck
 * the way a Node client can be on a small machine.
 */
import { spawnSync } from 'node:child_process';
import { runToCompletion } from './children.ts';

export interface WrkResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Responses with a status outside 2xx/3xx. */
  readonly non2xx: number;
  /** connect + read + write + timeout errors. */
  readonly socketErrors: number;
}

export interface WrkLoad {
  readonly connections: number;
  readonly threads: number;
  readonly durationSeconds: number;
}

/** Exits with install instructions when wrk is not on the PATH. */
export function requireWrk(): void {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') return;
  console.error(`npm run bench needs wrk, the HTTP load generator, and it is not on the PATH.
Install it and run again:
  Debian / Ubuntu:  sudo apt-get install -y wrk
  macOS:            brew install wrk
  other systems:    https://github.com/wg/wrk (make, then put ./wrk on the PATH)`);
  process.exit(1);
}

export async function runWrk(url: string, load: WrkLoad): Promise<WrkResult> {
  const args = ['--latency', `-t${load.threads}`, `-c${load.connections}`, `-d${load.durationSeconds}s`, url];
  return parseWrkReport(await runToCompletion('wrk', args, process.cwd()));
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1_000, m: 60_000 };

export function parseWrkReport(report: string): WrkResult {
  const field = (pattern: RegExp, what: string) => {
    const match = pattern.exec(report);
    if (!match) throw new Error(`could not find ${what} in wrk's report:\n${report}`);
    return match;
  };
  const latency = (p: number) => {
    const [, value, unit] = field(
      new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm'),
      `${p}% latency`,
    );
    return Number(value) * UNIT_MS[unit!]!;
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  return {
    requestsPerSecond: Number(field(/^Requests\/sec:\s+([\d.]+)/m, 'Requests/sec')[1]),
    p50Ms: latency(50),
    p99Ms: latency(99),
    requests: Number(field(/^\s*(\d+) requests in/m, 'the request count')[1]),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(report)?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((sum, count) => sum + Number(count), 0) : 0,
  };
}
