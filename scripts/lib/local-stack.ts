/**
 * The local stack behind `npm start` and the end-to-end tests: the demo upstream and
 * both workers under `wrangler dev`, sharing one persist folder so they share KV (and
 * D1 and Durable Objects) across restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DemoUpstream, startDemoUpstream } from '../../examples/demo-upstream/server.ts';
import { writePopConfig } from './pop-config.ts';
import { freePort } from './ports.ts';
import { type ManagedProcess, run, spawnManaged } from './processes.ts';

export interface LocalStackOptions {
  readonly root: string;
  readonly persistTo: string;
  readonly dataPort: number;
  readonly controlPort: number;
  readonly upstreamPort: number;
  /** Overrides the data plane's POINTER_TTL_MS (how soon it notices a deploy). */
  readonly pointerTtlMs?: number;
  /** Overrides the data plane's API_KEY_TTL_MS (how soon it notices a revoked key). */
  readonly apiKeyTtlMs?: number;
  /** Overrides the data plane's ZONE_TIMEOUT_MS (how long a policy waits for the rate-limit zone). */
  readonly zoneTimeoutMs?: number;
  /**
   * Ports of more data-plane processes, each standing for another PoP: they share the
   * first one's KV and its rate-limit zone (scripts/lib/pop-config.ts).
   */
  readonly extraPopPorts?: readonly number[];
}

export interface LocalStack {
  readonly dataUrl: string;
  /** Every data plane's URL, the first PoP's (`dataUrl`) first. */
  readonly popUrls: readonly string[];
  readonly controlUrl: string;
  readonly upstreamUrl: string;
  readonly adminToken: string;
  readonly logDir: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;
const WORKER_STARTS = 2;
const SERVING_TIMEOUT_MS = 30_000;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(options.persistTo, { recursive: true });
  const logDir = join(options.persistTo, 'logs');
  mkdirSync(logDir, { recursive: true });
  const adminToken = loadOrCreateSecret(
    options.persistTo,
    'admin-token',
    () => `ewt_${randomBytes(24).toString('base64url')}`,
  );
  const secretsKey = loadOrCreateSecret(options.persistTo, 'secrets-key', () =>
    randomBytes(32).toString('base64'),
  );
  const wrangler = join(options.root, 'node_modules', '.bin', 'wrangler');

  await run(
    wrangler,
    [
      'd1',
      'migrations',
      'apply',
      'edgeway',
      '--local',
      '--persist-to',
      options.persistTo,
      '-c',
      'control-plane/wrangler.toml',
    ],
    options.root,
  );

  const processes: ManagedProcess[] = [];
  let upstream: DemoUpstream | undefined;
  const stop = async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await upstream?.close();
  };
  try {
    upstream = await startDemoUpstream({ port: options.upstreamPort });
    const dataUrl = `http://127.0.0.1:${options.dataPort}`;
    const controlUrl = `http://127.0.0.1:${options.controlPort}`;
    const start = (worker: WorkerSpec) => startWorker(worker, { ...options, wrangler, logDir }, processes);
    const dataVars = [
      // The data plane opens the secrets a deployment carries with the same key.
      `SECRETS_KEY:${secretsKey}`,
      ...(options.pointerTtlMs === undefined ? [] : [`POINTER_TTL_MS:${options.pointerTtlMs}`]),
      ...(options.apiKeyTtlMs === undefined ? [] : [`API_KEY_TTL_MS:${options.apiKeyTtlMs}`]),
      ...(options.zoneTimeoutMs === undefined ? [] : [`ZONE_TIMEOUT_MS:${options.zoneTimeoutMs}`]),
    ];
    const isDataPlane = (response: Response) => response.headers.has('x-request-id');
    await Promise.all([
      start({
        name: 'data plane',
        config: 'wrangler.toml',
        port: options.dataPort,
        vars: dataVars,
        readyUrl: dataUrl,
        isReady: isDataPlane,
      }),
      start({
        name: 'control plane',
        config: 'control-plane/wrangler.toml',
        port: options.controlPort,
        vars: [
          `ADMIN_TOKEN:${adminToken}`,
          `SECRETS_KEY:${secretsKey}`,
          // Environment URLs name the data plane's port, whichever it is.
          `PRODUCTION_URL:http://localhost:${options.dataPort}`,
          `PREVIEW_URL_TEMPLATE:http://{slug}.localhost:${options.dataPort}`,
        ],
        readyUrl: `${controlUrl}/healthz`,
        isReady: (response) => response.ok,
      }),
    ]);
    // After the first PoP, whose rate-limit zone they bind through the dev registry.
    const popUrls = [dataUrl];
    for (const [offset, port] of (options.extraPopPorts ?? []).entries()) {
      const index = offset + 2;
      const url = `http://127.0.0.1:${port}`;
      const config = writePopConfig(options.root, options.persistTo, index);
      await start({
        name: `data plane pop ${index}`,
        config,
        port,
        vars: dataVars,
        readyUrl: url,
        isReady: isDataPlane,
      });
      popUrls.push(url);
    }
    return { dataUrl, popUrls, controlUrl, upstreamUrl: upstream.url, adminToken, logDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface WorkerSpec {
  readonly name: string;
  readonly config: string;
  readonly port: number;
  /** `--var NAME:value` overrides. */
  readonly vars: readonly string[];
  readonly readyUrl: string;
  readonly isReady: (response: Response) => boolean;
}

interface WorkerContext {
  readonly root: string;
  readonly persistTo: string;
  readonly wrangler: string;
  readonly logDir: string;
}

/**
 * Starts a worker under wrangler dev, adds it to `processes` and waits until it answers.
 * One that exits while starting is started once more: two workerd processes creating the
 * same persisted SQLite files at the same moment can fail with SQLITE_BUSY.
 */
async function startWorker(worker: WorkerSpec, context: WorkerContext, processes: ManagedProcess[]) {
  for (let attempt = 1; ; attempt++) {
    const process = spawnManaged({
      name: worker.name,
      command: context.wrangler,
      args: [
        'dev',
        '-c',
        worker.config,
        '--ip',
        '127.0.0.1',
        '--port',
        String(worker.port),
        '--persist-to',
        context.persistTo,
        // Each wrangler dev gets its own inspector port: two started at once race for 9229.
        '--inspector-port',
        String(await freePort()),
        '--show-interactive-dev-session=false',
        ...worker.vars.flatMap((assignment) => ['--var', assignment]),
      ],
      cwd: context.root,
      env: {
        X_LOCAL_OBSERVABILITY: 'false',
        WRANGLER_SEND_METRICS: 'false',
        // One dev registry per stack: workers of another stack (another test, another
        // checkout) with the same names must not answer this one's bindings.
        WRANGLER_REGISTRY_PATH: join(context.persistTo, 'registry'),
      },
      logFile: join(context.logDir, `${worker.name.replace(' ', '-')}.log`),
    });
    processes.push(process);
    try {
      return await waitUntilReady(worker.readyUrl, worker.isReady, process, context.logDir);
    } catch (error) {
      if (attempt >= WORKER_STARTS || process.child.exitCode === null) throw error;
    }
  }
}

/**
 * Local secrets live with the persisted state, so a restart keeps them: the bootstrap
 * admin token, the key that seals secrets in D1 (which must not change under them), and
 * the local owner's password.
 */
export function loadOrCreateSecret(persistTo: string, name: string, create: () => string): string {
  const file = join(persistTo, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = create();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function waitUntilReady(
  url: string,
  isReady: (response: Response) => boolean,
  process: ManagedProcess,
  logDir: string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) {
      throw new Error(`${process.name} exited with ${process.child.exitCode}; see ${logDir}`);
    }
    try {
      if (isReady(await fetch(url, { signal: AbortSignal.timeout(2_000) }))) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `${process.name} was not ready at ${url} within ${READY_TIMEOUT_MS / 1000}s; see ${logDir}`,
  );
}

/**
 * Waits until the data plane answers with `deploymentId`: an isolate re-reads its
 * pointer only every POINTER_TTL_MS, so a deploy is not served the instant it is live.
 */
export async function waitUntilServing(dataUrl: string, deploymentId: string): Promise<void> {
  const deadline = Date.now() + SERVING_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const response = await fetch(dataUrl, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    if (response.headers.get('edgeway-deployment') === deploymentId) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the data plane did not serve ${deploymentId} within ${SERVING_TIMEOUT_MS / 1000}s`);
}
