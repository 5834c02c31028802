/**
 * `npm run bench:analytics`: how fast the control plane folds analytics events into its
 * D1 rollups, and how long the analytics API takes to answer over 30 days of data.
 *
 * Runs the control plane worker under wrangler's test harness (workerd, local D1 with
 * every migration), then:
 * 1. ingest: hands its queue() handler batches of 100 realistic events (bench/lib/
 *    analytics-traffic.ts), one batch at a time and then several at once, as a Queue
 *    with more consumer invocations would, and reports events folded per second;
 * 2. queries: seeds `--days` of minute and hour rollups (bench/lib/analytics-seed.ts)
 *    and times GET /api/v1/analytics/overview for each range, and a 30-day breakdown.
 * Prints a table. `--help` lists the options.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestHarness } from 'wrangler';
import { seedRollups } from './lib/analytics-seed.ts';
import { benchEvent, seededRandom } from './lib/analytics-traffic.ts';
import { positiveInteger } from './lib/options.ts';
import { median, percentile } from './lib/stats.ts';

const USAGE = `Usage: npm run bench:analytics -- [options]

  --batches <n>          batches of 100 events per ingest run (default 100)
  --concurrency <n>      batches in flight at once in the second ingest run (default 4)
  --days <n>             days of rollups to seed for the queries (default 30)
  --keys <n>             rollup rows per minute when seeding (default 40)
  --samples <n>          timed calls per query (default 20)
  --help                 show this help`;

const BATCH_SIZE = 100;
const ADMIN_TOKEN = 'bench-admin-token';
const QUEUE = 'edgeway-analytics';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    days: { type: 'string', default: '30' },
    keys: { type: 'string', default: '40' },
    samples: { type: 'string', default: '20' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const options = {
  batches: positiveInteger('--batches', values.batches, USAGE),
  concurrency: positiveInteger('--concurrency', values.concurrency, USAGE),
  days: positiveInteger('--days', values.days, USAGE),
  keys: positiveInteger('--keys', values.keys, USAGE),
  samples: positiveInteger('--samples', values.samples, USAGE),
};

interface QueueResult {
  readonly retryMessages: readonly unknown[];
  readonly explicitAcks: readonly string[];
}
interface ControlPlane {
  queue(
    queue: string,
    messages: { id: string; timestamp: Date; body: unknown; attempts: number }[],
  ): Promise<QueueResult>;
}

const log = (line: string) => console.error(line);
// wrangler's harness otherwise tries to reach Cloudflare for metrics.
process.env.WRANGLER_SEND_METRICS = 'false';
const server = createTestHarness({
  root: resolve(import.meta.dirname, '..'),
  workers: [
    {
      configPath: './control-plane/wrangler.toml',
      secrets: { ADMIN_TOKEN, SECRETS_KEY: btoa('edgeway-bench-secrets-key-32byte') },
    },
  ],
});

try {
  log('Starting the control plane (workerd, local D1)...');
  await server.listen();
  const worker = server.getWorker();
  await worker.applyD1Migrations('DB');
  const controlPlane = (await worker.getExport()) as unknown as ControlPlane;
  const db = (await worker.getEnv()) as { DB: Parameters<typeof seedRollups>[0] };
  const random = seededRandom(42);

  /** Folds `batches` batches, `inFlight` at a time; answers events per second. */
  async function ingest(batches: number, inFlight: number): Promise<number> {
    const bodies = Array.from({ length: batches }, () =>
      Array.from({ length: BATCH_SIZE }, () => benchEvent(random, Date.now())),
    );
    let next = 0;
    const started = performance.now();
    const lane = async () => {
      while (next < bodies.length) {
        const batch = bodies[next++]!;
        const messages = batch.map((body) => ({ id: body.id, timestamp: new Date(), body, attempts: 1 }));
        const result = await controlPlane.queue(QUEUE, messages);
        if (result.retryMessages.length > 0 || result.explicitAcks.length !== BATCH_SIZE) {
          throw new Error(`a batch was not counted: ${JSON.stringify(result)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
    return (batches * BATCH_SIZE) / ((performance.now() - started) / 1000);
  }

  log('Ingest: warming up...');
  await ingest(5, 1);
  log(`Ingest: ${options.batches} batches of ${BATCH_SIZE}, one at a time...`);
  const sequential = await ingest(options.batches, 1);
  log(`Ingest: ${options.batches} batches of ${BATCH_SIZE}, ${options.concurrency} at a time...`);
  const concurrent = await ingest(options.batches, options.concurrency);

  log(`Queries: seeding ${options.days} days, ${options.keys} rollup rows per minute...`);
  const seeded = await seedRollups(db.DB, Date.now(), options.days, options.keys);
  const queries = [
    ...['1h', '24h', '7d', '30d'].map((range) => `overview?environment=production&range=${range}`),
    'breakdown?environment=production&range=30d&by=route',
    'breakdown?environment=production&range=24h&by=consumer',
  ];
  const timings: { query: string; samples: number[] }[] = [];
  for (const query of queries) {
    const samples: number[] = [];
    for (let i = 0; i <= options.samples; i++) {
      const started = performance.now();
      const response = await worker.fetch(`/api/v1/analytics/${query}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${query}: ${response.status} ${body}`);
      // The first call of each warms the isolate; it is not counted.
      if (i > 0) samples.push(performance.now() - started);
    }
    timings.push({ query, samples });
  }

  const rate = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  console.log(
    `\nAnalytics ingest: the queue() handler folding batches of ${BATCH_SIZE} events into local D1`,
  );
  console.log(
    table(
      ['batches in flight', 'events', 'events/s'],
      [
        ['1', String(options.batches * BATCH_SIZE), rate.format(sequential)],
        [String(options.concurrency), String(options.batches * BATCH_SIZE), rate.format(concurrent)],
      ],
    ),
  );
  console.log(
    `\nAnalytics API over ${options.days} days: ${rate.format(seeded.minuteRows)} minute rows, ${rate.format(seeded.hourRows)} hour rows (${options.keys} per minute)`,
  );
  console.log(
    table(
      ['GET /api/v1/analytics/...', 'p50', 'p95'],
      timings.map(({ query, samples }) => [query, ms(median(samples)), ms(percentile(samples, 95))]),
    ),
  );
  console.log(`\n${options.samples} calls per query through the worker's fetch, after one warm-up call.`);
} finally {
  await server.close();
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    row.map((cell, column) => cell.padEnd(widths[column]!)).join('   ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
