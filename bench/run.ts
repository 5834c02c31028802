/**
 * `npm run bench`: how much the gateway costs on top of the least a proxy worker can do,
 * and how much its rate limits cost on top of a route without one.
 *
 * Starts three targets, each in its own process: (a) the demo upstream called directly,
 * (b) a bare proxy worker and (c) the real data plane serving one route with set-headers,
 * both workers under `workerd serve` (wrangler dev and Miniflare put more workers in front
 * of each request, which would hide the gateway's own cost), plus four routes of that
 * gateway for the rate-limit table (no limit, strict, async, exceeded; its rate-limit zone
 * runs in the same workerd process). Checks that each answers as expected, then measures
 * them in interleaved rounds under the same load and prints a table against the bare
 * proxy with the targets of issue 2, and one against the route without a limit with the
 * targets of issue 5. `--help` lists the options.
 */
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBareProxy } from './lib/bare-proxy.ts';
import { BENCH_PATH, LIMIT_PATHS } from './lib/bench-config.ts';
import { checkRefusal, checkTarget } from './lib/checks.ts';
import { stopAllChildren, stopChildrenOnExit } from './lib/children.ts';
import { buildDeployment } from './lib/deployment.ts';
import { readWranglerSettings, startGateway } from './lib/gateway.ts';
import { measure, type Target, warmUp } from './lib/measure.ts';
import { type BenchOptions, parseOptions } from './lib/options.ts';
import { formatGoals, formatTable } from './lib/report.ts';
import { evaluateGoals, evaluateRateLimitGoals, summarise } from './lib/summary.ts';
import { startUpstream } from './lib/upstream.ts';
import { requireWrk } from './lib/wrk.ts';

const CONNECTIONS = 50;
/** One wrk thread outruns every target here; on a 2-core machine the other core serves. */
const WRK_THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));
const root = resolve(import.meta.dirname, '..');
const log = (line: string) => console.error(line);

async function main(options: BenchOptions, workDir: string): Promise<void> {
  log('Starting the demo upstream, the bare proxy and the gateway...');
  const upstreamUrl = await startUpstream(root);
  const settings = readWranglerSettings(root);
  const bareOrigin = await startBareProxy({ workDir, upstreamUrl, compatibility: settings.compatibility });
  const { deployment, kvEntries } = await buildDeployment(upstreamUrl);
  log(`  the gateway serves ${deployment.deploymentId}, compiled from bench/lib/bench-config.ts`);
  const gateway = await startGateway({ root, workDir, kvEntries }, settings);
  const targets: Target[] = [
    { id: 'upstream', label: 'demo upstream', url: `${upstreamUrl}${BENCH_PATH}` },
    { id: 'bare', label: 'bare proxy', url: `${bareOrigin}${BENCH_PATH}` },
    { id: 'gateway', label: 'gateway', url: `${gateway.origin}${BENCH_PATH}` },
    { id: 'limit-none', label: 'no limit', url: `${gateway.origin}${LIMIT_PATHS.none}` },
    { id: 'limit-strict', label: 'strict limit', url: `${gateway.origin}${LIMIT_PATHS.strict}` },
    { id: 'limit-async', label: 'async limit', url: `${gateway.origin}${LIMIT_PATHS.async}` },
    {
      id: 'limit-exceeded',
      label: 'limit exceeded',
      url: `${gateway.origin}${LIMIT_PATHS.exceeded}`,
      status: 429,
    },
  ];

  log('Checking that every target answers as expected...');
  for (const target of targets) {
    if (target.status === 429) await checkRefusal(target.label, target.url);
    else await checkTarget(target.label, target.url, target.id === 'gateway');
  }

  const measureOptions = {
    load: { connections: CONNECTIONS, threads: WRK_THREADS, durationSeconds: options.durationSeconds },
    rounds: options.rounds,
    sequentialRequests: options.sequentialRequests,
  };
  log('Warming up...');
  await warmUp(targets, measureOptions);
  const readsBefore = await counter(gateway.kvReadsUrl, 'reads');
  const eventsBefore = await counter(gateway.queueMessagesUrl, 'messages');
  log(
    `Measuring: ${options.rounds} rounds of ${options.durationSeconds} s at ${CONNECTIONS} connections + ${options.sequentialRequests} sequential requests per target...`,
  );
  const measurements = await measure(targets, measureOptions, log);
  const kvReadsDuringMeasurement = (await counter(gateway.kvReadsUrl, 'reads')) - readsBefore;
  const eventsDuringMeasurement = (await counter(gateway.queueMessagesUrl, 'messages')) - eventsBefore;

  const summaries = measurements.map(summarise);
  const proxySummaries = summaries.filter((s) => !s.id.startsWith('limit-'));
  const limitSummaries = summaries.filter((s) => s.id.startsWith('limit-'));
  const proxyGoals = evaluateGoals(summaries);
  const limitGoals = evaluateRateLimitGoals(summaries);
  console.log(`\n${formatTable(proxySummaries, CONNECTIONS, 'bare')}`);
  console.log(
    `Gateway KV reads while measuring: ${kvReadsDuringMeasurement} (pointer re-checked every ${settings.vars.POINTER_TTL_MS} ms).`,
  );
  console.log(
    `Gateway analytics events sent while measuring: ${eventsDuringMeasurement} (one per request to any gateway route).`,
  );
  console.log(`\n${formatGoals('issue 2', proxyGoals)}`);
  console.log(`\nRate limiting: one gateway route each, the limit counting the whole route.`);
  console.log(formatTable(limitSummaries, CONNECTIONS, 'limit-none'));
  console.log(`\n${formatGoals('issue 5', limitGoals)}`);

  if (options.jsonPath) {
    const results = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
      options: { ...options, connections: CONNECTIONS, wrkThreads: WRK_THREADS },
      deploymentId: deployment.deploymentId,
      kvReadsDuringMeasurement,
      eventsDuringMeasurement,
      targets: summaries,
      goals: [...proxyGoals, ...limitGoals],
    };
    await writeFile(options.jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults written to ${options.jsonPath}`);
  }
}

/** A count the gateway's KV or Queue service answers on its stats socket. */
async function counter(url: string, field: 'reads' | 'messages'): Promise<number> {
  const body = (await (await fetch(url)).json()) as Record<string, number>;
  return body[field] ?? 0;
}

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error(`${(error as Error).message}\nRun npm run bench -- --help for the options.`);
  process.exit(2);
}
requireWrk();
// On tmpfs where there is one: on Cloudflare a Durable Object's writes are replicated over
// the network, not fsynced to a local disk, and an fsync per hit would measure this disk.
const workDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'edgeway-bench-'));
const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
stopChildrenOnExit(removeWorkDir);
try {
  await main(options, workDir);
  await stopAllChildren();
  removeWorkDir();
} catch (error) {
  await stopAllChildren();
  console.error(`\nBenchmark failed: ${(error as Error).message}`);
  console.error(`(the workerd configs and the bundle are kept in ${workDir})`);
  process.exitCode = 1;
}
