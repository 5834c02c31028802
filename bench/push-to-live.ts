/**
 * `npm run bench:push`: how long a `git push` takes to go live locally. Starts the local
 * stack of `npm start` in a temporary folder, with its quickstart remote (the bare
 * repository and push-to-deploy hook npm start sets up), then, for each sample, commits a
 * change to a clone of it and measures from the start of `git push` until the data plane
 * serves the change. Prints each sample (and how long the push command itself took: the
 * hook deploys before it returns), the median, and the data plane's POINTER_TTL_MS, which
 * bounds the wait after the deploy: an isolate re-reads its environment's pointer that often.
 * Each push starts at a random point of that cycle, as a user's would.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { unstable_readConfig } from 'wrangler';
import { ControlPlaneClient } from '../cli/lib/control-plane-client.ts';
import { git } from '../cli/lib/git.ts';
import { deployBranch } from '../cli/remote/receive.ts';
import { startLocalStack, waitUntilServing } from '../scripts/lib/local-stack.ts';
import { freePort } from '../scripts/lib/ports.ts';
import { run } from '../scripts/lib/processes.ts';
import { QUICKSTART_BRANCH, setUpQuickstartRemote } from '../scripts/lib/quickstart-remote.ts';
import { median } from './lib/stats.ts';

const USAGE = `Usage: npm run bench:push -- [options]

  --samples <n>          pushes to measure (default 10)
  --pointer-ttl-ms <ms>  the data plane's POINTER_TTL_MS (default: wrangler.toml's)
  --help                 show this help`;

const root = resolve(import.meta.dirname, '..');
const IDENTITY = ['-c', 'user.name=bench', '-c', 'user.email=bench@edgeway.invalid'];
/** The quickstart's GET /health body, which each sample changes. */
const HEALTH_BODY = '{"status":"ok"}';
const POLL_MS = 20;
const SAMPLE_TIMEOUT_MS = 60_000;

interface Sample {
  /** From the start of `git push` until the data plane served the change. */
  readonly liveMs: number;
  /** How long `git push` ran, its hook's deploy included. */
  readonly pushMs: number;
}

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '10' },
    'pointer-ttl-ms': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const samples = Number(values.samples);
const pointerTtlMs = values['pointer-ttl-ms'] === undefined ? undefined : Number(values['pointer-ttl-ms']);
const ttlInUse =
  pointerTtlMs ?? Number(unstable_readConfig({ config: join(root, 'wrangler.toml') }).vars.POINTER_TTL_MS);

const persistTo = mkdtempSync(join(tmpdir(), 'edgeway-bench-push-'));
console.error('Starting the local stack (demo upstream, data plane, control plane)...');
const stack = await startLocalStack({
  root,
  persistTo,
  dataPort: await freePort(),
  controlPort: await freePort(),
  upstreamPort: await freePort(),
  pointerTtlMs,
});
try {
  const remote = setUpQuickstartRemote(root, persistTo, { url: stack.controlUrl, token: stack.adminToken });
  const client = new ControlPlaneClient(stack.controlUrl, stack.adminToken);
  await waitUntilServing(stack.dataUrl, (await deployBranch(client, remote, QUICKSTART_BRANCH, 'main')).id);
  const clone = join(persistTo, 'clone');
  git(persistTo, ['clone', '--quiet', remote, clone]);
  const config = readFileSync(join(clone, 'edgeway.yaml'), 'utf8');

  console.log(`\ngit push to served, ${samples} pushes to main, POINTER_TTL_MS = ${ttlInUse}:`);
  const measured: Sample[] = [];
  for (let index = 1; index <= samples; index++) {
    const body = `{"status":"push-${index}"}`;
    writeFileSync(join(clone, 'edgeway.yaml'), config.replace(HEALTH_BODY, body));
    git(clone, [...IDENTITY, 'commit', '--quiet', '--all', '--message', `Push ${index}`]);
    // A user pushes at any point of the pointer's refresh cycle. Pushing right after the
    // refresh that served the previous sample would measure a whole TTL every time.
    await new Promise((done) => setTimeout(done, Math.random() * ttlInUse));
    const sample = await measurePush(clone, `${stack.dataUrl}/health`, body);
    measured.push(sample);
    console.log(
      `  #${String(index).padStart(2)}  served after ${seconds(sample.liveMs)}   (git push took ${seconds(sample.pushMs)})`,
    );
  }
  console.log(
    `median: served after ${seconds(median(measured.map((sample) => sample.liveMs)))}` +
      `   (git push took ${seconds(median(measured.map((sample) => sample.pushMs)))})`,
  );
} finally {
  await stack.stop();
  rmSync(persistTo, { recursive: true, force: true });
}

/** Pushes `clone` and polls `url` until it answers `body`. */
async function measurePush(clone: string, url: string, body: string): Promise<Sample> {
  const started = performance.now();
  const pushed = run('git', ['push', '--quiet'], clone).then((output) => ({
    output,
    ms: performance.now() - started,
  }));
  let failure: unknown;
  pushed.catch((error: unknown) => {
    failure = error;
  });
  while (performance.now() - started < SAMPLE_TIMEOUT_MS && failure === undefined) {
    const response = await fetch(url);
    if ((await response.text()) === body) {
      const liveMs = performance.now() - started;
      const push = await pushed;
      if (!/^remote: Live: dep_/m.test(push.output))
        throw new Error(`the push did not deploy:\n${push.output}`);
      return { liveMs, pushMs: push.ms };
    }
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  throw failure ?? new Error(`${url} did not answer ${body} within ${SAMPLE_TIMEOUT_MS / 1000} s`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
