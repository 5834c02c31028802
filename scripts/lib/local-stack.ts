/**
 * The local stack behind `npm start` and the end-to-end tests: the demo upstream and
 * both workers under `wrangler dev`, sharing one persist folder so they share KV (and
 * D1 and Durable Objects) across restarts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DemoUpstream, startDemoUpstream } from '../../examples/demo-upstream/server.ts';
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
}

export interface LocalStack {
  readonly dataUrl: string;
  readonly controlUrl: string;
  readonly upstreamUrl: string;
  readonly adminToken: string;
  readonly logDir: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 90_000;
const SERVING_TIMEOUT_MS = 30_000;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(options.persistTo, { recursive: true });
  const logDir = join(options.persistTo, 'logs');
  mkdirSync(logDir, { recursive: true });
  const adminToken = loadOrCreateAdminToken(options.persistTo);
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
    // Each wrangler dev gets its own inspector port: two started at once race for 9229.
    const devArgs = async (config: string, port: number, extra: string[] = []) => [
      'dev',
      '-c',
      config,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      options.persistTo,
      '--inspector-port',
      String(await freePort()),
      '--show-interactive-dev-session=false',
      ...extra,
    ];
    const env = { X_LOCAL_OBSERVABILITY: 'false', WRANGLER_SEND_METRICS: 'false' };
    processes.push(
      spawnManaged({
        name: 'data plane',
        command: wrangler,
        args: await devArgs(
          'wrangler.toml',
          options.dataPort,
          options.pointerTtlMs === undefined ? [] : ['--var', `POINTER_TTL_MS:${options.pointerTtlMs}`],
        ),
        cwd: options.root,
        env,
        logFile: join(logDir, 'data-plane.log'),
      }),
      spawnManaged({
        name: 'control plane',
        command: wrangler,
        args: await devArgs('control-plane/wrangler.toml', options.controlPort, [
          '--var',
          `ADMIN_TOKEN:${adminToken}`,
        ]),
        cwd: options.root,
        env,
        logFile: join(logDir, 'control-plane.log'),
      }),
    );
    const dataUrl = `http://127.0.0.1:${options.dataPort}`;
    const controlUrl = `http://127.0.0.1:${options.controlPort}`;
    await Promise.all([
      waitUntilReady(`${controlUrl}/healthz`, (response) => response.ok, processes[1]!, logDir),
      waitUntilReady(dataUrl, (response) => response.headers.has('x-request-id'), processes[0]!, logDir),
    ]);
    return { dataUrl, controlUrl, upstreamUrl: upstream.url, adminToken, logDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The bootstrap admin token lives with the persisted state, so a restart keeps it. */
function loadOrCreateAdminToken(persistTo: string): string {
  const file = join(persistTo, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = `ewt_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
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
