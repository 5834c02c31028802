/**
 * Command-line flags of `npm run bench`, each with an environment variable for CI. The
 * defaults keep a full run near a minute and a half on a 2-core machine.
 */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Seconds of wrk load per target per round. */
  readonly durationSeconds: number;
  readonly rounds: number;
  /** Requests per target per round for the one-connection latency. */
  readonly sequentialRequests: number;
  /** Where to write the results as JSON, if anywhere. */
  readonly jsonPath: string | undefined;
}

const USAGE = `Usage: npm run bench -- [options]

  --duration <s>          seconds of wrk load per target per round (BENCH_DURATION, default 5)
  --rounds <n>            interleaved rounds; each runs every target once (BENCH_ROUNDS, default 3)
  --sequential <n>        one-connection requests per target per round (BENCH_SEQUENTIAL, default 2000)
  --json <file>           also write the results to <file> as JSON (BENCH_JSON)
  --help                  show this help`;

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      duration: { type: 'string', default: env.BENCH_DURATION ?? '5' },
      rounds: { type: 'string', default: env.BENCH_ROUNDS ?? '3' },
      sequential: { type: 'string', default: env.BENCH_SEQUENTIAL ?? '2000' },
      json: { type: 'string', default: env.BENCH_JSON },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    durationSeconds: positiveInteger('--duration', values.duration),
    rounds: positiveInteger('--rounds', values.rounds),
    sequentialRequests: positiveInteger('--sequential', values.sequential),
    jsonPath: values.json,
  };
}

/** The flag's value as a positive integer; otherwise prints the problem and `usage`, and exits. */
export function positiveInteger(flag: string, value: string, usage = USAGE): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    console.error(`${flag} must be a positive integer, got "${value}"\n\n${usage}`);
    process.exit(2);
  }
  return number;
}
