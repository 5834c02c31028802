/**
 * The data plane's HTTP front: `createGateway` wires the isolate cache to the pipeline
 * behind a Hono app. This is the one module that touches Hono (DESIGN.md import rules).
 * It gives every request its id, finds the deployment for its host, stamps the response,
 * and turns any unexpected exception into a logged 500 problem that leaks nothing.
 */
import { Hono } from 'hono';
import { createDeploymentCache } from '../deployment/cache.ts';
import type { ConfigStore } from '../deployment/kv-source.ts';
import { hostnameOf } from '../http/host.ts';
import { gatewayProblem } from '../http/problems.ts';
import { requestIdOf } from '../http/request-id.ts';
import { stampResponse } from '../http/stamp.ts';
import type { Logger } from '../policies/contract.ts';
import type { RequestScope } from './context.ts';
import { handleRequest } from './handle-request.ts';
import { consoleLogger } from './log.ts';

export interface GatewayOptions {
  /** The KV namespace the control plane publishes deployments to. */
  readonly kv: ConfigStore;
  /** Serves hosts that have no `host/<hostname>` record. */
  readonly defaultEnvironment: string;
  /** How long a host's environment pointer is trusted before it is read again. */
  readonly pointerTtlMs: number;
  readonly now?: () => number;
  readonly log?: Logger;
}

export interface Gateway {
  fetch(request: Request, env: object, ctx: ExecutionContext): Promise<Response>;
}

type Bindings = Readonly<Record<string, unknown>>;
type GatewayEnv = { Bindings: Bindings; Variables: { requestId?: string; deploymentId?: string } };

export function createGateway(options: GatewayOptions): Gateway {
  const log = options.log ?? consoleLogger;
  const now = options.now ?? Date.now;
  const deployments = createDeploymentCache({ ...options, log, now });
  const retryAfterSeconds = Math.max(1, Math.ceil(options.pointerTtlMs / 1000));
  const app = new Hono<GatewayEnv>();

  app.all('*', async (c) => {
    const request = c.req.raw;
    const requestId = requestIdOf(request.headers);
    c.set('requestId', requestId);
    const { executionCtx } = c;
    const waitUntil = (promise: Promise<unknown>) => executionCtx.waitUntil(promise);
    const url = new URL(request.url);
    const hostname = hostnameOf(request.headers.get('host') ?? url.host);
    const deployment = await deployments.resolve(hostname, waitUntil);
    if (!deployment) {
      const unavailable = gatewayProblem({ kind: 'no-deployment', retryAfterSeconds }, requestId);
      return stampResponse(unavailable, requestId);
    }
    c.set('deploymentId', deployment.id);
    const scope: RequestScope = { requestId, env: c.env, log, now, waitUntil };
    const { response } = await handleRequest(request, url, hostname, deployment, scope).catch(asError);
    return stampResponse(response, requestId, deployment.id);
  });

  app.onError((error, c) => {
    const requestId = c.get('requestId') ?? crypto.randomUUID();
    log.error('unhandled error', { requestId, error: error.stack ?? String(error) });
    const problem = gatewayProblem({ kind: 'internal-error' }, requestId);
    return stampResponse(problem, requestId, c.get('deploymentId'));
  });

  return { fetch: async (request, env, ctx) => app.fetch(request, env as Bindings, ctx) };
}

/** Hono's onError only receives Error instances; a policy may throw anything. */
function asError(thrown: unknown): never {
  throw thrown instanceof Error ? thrown : new Error(String(thrown));
}
