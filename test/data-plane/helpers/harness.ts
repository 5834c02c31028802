/**
 * A fresh gateway per test over the real KV binding: its own default environment and
 * hostname (so tests never see each other's keys), a switchable KV view, a clock the
 * test moves, captured logs, and the real rate-limit zone. `send` waits for the
 * request's waitUntil work, so a background refresh has finished when it returns.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { AnalyticsQueue } from '../../../src/analytics/emitter.ts';
import type { CompiledDeployment } from '../../../src/config/compiled.ts';
import { createGateway, type Gateway } from '../../../src/pipeline/gateway.ts';
import type { Logger } from '../../../src/policies/contract.ts';
import type { RateLimitZone } from '../../../src/rate-limit/protocol.ts';
import { compileDeployment, type RouteSpec, uniqueName } from './deployments.ts';
import { publish, SwitchableStore } from './kv.ts';
import { TestClock } from './policy-context.ts';
import { testZone } from './policy-deps.ts';

export const POINTER_TTL_MS = 5_000;
export const API_KEY_TTL_MS = 10_000;

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export interface Harness {
  readonly gateway: Gateway;
  readonly store: SwitchableStore;
  readonly environment: string;
  readonly hostname: string;
  readonly logs: LogLine[];
  /** Moves the gateway's clock forward. */
  advance(ms: number): void;
  /** `target` is a path on the harness's hostname, or an absolute URL. */
  send(target: string, init?: RequestInit): Promise<Response>;
  /** Compiles and publishes a deployment of the harness's environment. */
  deploy(
    routes: readonly RouteSpec[],
    extra?: Partial<Parameters<typeof compileDeployment>[0]>,
  ): Promise<CompiledDeployment>;
}

export interface HarnessOptions {
  readonly previewHostSuffix?: string;
  /** SECRETS_KEY, for deployments whose policies use secrets. */
  readonly secretsKey?: string;
  /** The zone the rate-limit and quota policies use: the real one unless a test makes it fail. */
  readonly rateLimitZone?: RateLimitZone;
  /** The gateway's clock; a TestClock at 1,000,000 ms unless given (the rate-limit zone keeps real time). */
  readonly clock?: TestClock;
  /** The ANALYTICS Queue producer; none unless given, so no events are sent. */
  readonly analytics?: AnalyticsQueue;
}

export function createHarness(options: HarnessOptions = {}): Harness {
  const environment = uniqueName('env');
  const hostname = `${environment}.example`;
  const store = new SwitchableStore(env.CONFIG);
  const logs: LogLine[] = [];
  const capture =
    (level: LogLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      logs.push({ level, message, fields });
  const log: Logger = { info: capture('info'), warn: capture('warn'), error: capture('error') };
  const clock = options.clock ?? new TestClock(1_000_000);
  const gateway = createGateway({
    kv: store,
    defaultEnvironment: environment,
    previewHostSuffix: options.previewHostSuffix,
    pointerTtlMs: POINTER_TTL_MS,
    apiKeyTtlMs: API_KEY_TTL_MS,
    secretsKey: options.secretsKey,
    rateLimitZone: options.rateLimitZone ?? testZone,
    analytics: options.analytics,
    // Batches gather for a few ms only, so `send` (which waits for them) stays quick.
    analyticsFlushMs: 5,
    now: () => clock.now(),
    log,
  });
  return {
    gateway,
    store,
    environment,
    hostname,
    logs,
    advance(ms) {
      clock.advance(ms);
    },
    async send(target, init) {
      const url = target.startsWith('http') ? target : `http://${hostname}${target}`;
      const ctx = createExecutionContext();
      const response = await gateway.fetch(new Request(url, init), env, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    },
    async deploy(routes, extra) {
      const deployment = await compileDeployment({ environment, routes, ...extra });
      await publish(env.CONFIG, deployment);
      return deployment;
    },
  };
}
