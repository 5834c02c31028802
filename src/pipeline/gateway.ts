/**
 * The data plane's HTTP front: `createGateway` wires the isolate cache to the pipeline.
 * It gives every request its id, finds the deployment for its host, stamps the response,
 * turns any unexpected exception into a logged 500 problem that leaks nothing, and sends
 * each served request's analytics event once its response is on its way.
 *
 * A plain fetch handler rather than a Hono app: the data plane has one catch-all route
 * and its own route table, and Hono's per-request Context measurably slowed the hot path
 * (docs/decisions/0008-no-hono-on-the-data-plane-hot-path.md).
 */
import { type AnalyticsQueue, createAnalyticsEmitter } from '../analytics/emitter.ts';
import { analyticsEvent } from '../analytics/event.ts';
import { createDeploymentCache } from '../deployment/cache.ts';
import type { ConfigStore } from '../deployment/kv-source.ts';
import type { LoadedDeployment } from '../deployment/load.ts';
import { hostnameOf } from '../http/host.ts';
import { type GatewayProblem, gatewayProblem } from '../http/problems.ts';
import { requestIdOf } from '../http/request-id.ts';
import { stampResponse } from '../http/stamp.ts';
import { createApiKeyDirectory } from '../identity/api-key-directory.ts';
import type { Logger } from '../policies/contract.ts';
import type { RateLimitZone } from '../rate-limit/protocol.ts';
import { type HandledRequest, handleRequest } from './handle-request.ts';
import { consoleLogger } from './log.ts';

export interface GatewayOptions {
  /** The KV namespace the control plane publishes deployments to. */
  readonly kv: ConfigStore;
  /** Serves hosts that have no `host/<hostname>` record. */
  readonly defaultEnvironment: string;
  /** Preview hosts (`<slug>.<suffix>`) without a host record are answered 404, not by the default. */
  readonly previewHostSuffix?: string;
  /** How long a host's environment pointer is trusted before it is read again. */
  readonly pointerTtlMs: number;
  /** SECRETS_KEY, which opens the secrets a deployment's policies use. */
  readonly secretsKey?: string;
  /** How long an isolate trusts an API-key record (or its absence): the revocation bound. */
  readonly apiKeyTtlMs: number;
  /** The rate-limit zone's client, shared by every deployment the isolate loads. */
  readonly rateLimitZone: RateLimitZone;
  /** The ANALYTICS Queue producer; without it no analytics events are sent. */
  readonly analytics?: AnalyticsQueue;
  /** How long an isolate gathers analytics events before sending them as one batch; 1 s by default. */
  readonly analyticsFlushMs?: number;
  readonly now?: () => number;
  readonly log?: Logger;
}

export interface Gateway {
  fetch(request: Request, env: object, ctx: ExecutionContext): Promise<Response>;
}

export function createGateway(options: GatewayOptions): Gateway {
  const log = options.log ?? consoleLogger;
  const now = options.now ?? Date.now;
  const apiKeys = createApiKeyDirectory({ kv: options.kv, ttlMs: options.apiKeyTtlMs, now, log });
  const policyDeps = { apiKeys, rateLimitZone: options.rateLimitZone };
  const deployments = createDeploymentCache({ ...options, log, now, policyDeps });
  const retryAfterSeconds = Math.max(1, Math.ceil(options.pointerTtlMs / 1000));
  const emit = createAnalyticsEmitter(options.analytics, log, options.analyticsFlushMs);

  return {
    async fetch(request, env, execution) {
      const startedAt = now();
      const requestId = requestIdOf(request.headers);
      const waitUntil = execution.waitUntil.bind(execution);
      let deployment: LoadedDeployment | undefined;
      let handled: HandledRequest | undefined;
      let response: Response;
      try {
        const url = new URL(request.url);
        const hostname = hostnameOf(request.headers.get('host') ?? url.host);
        const resolution = await deployments.resolve(hostname, waitUntil);
        if (resolution.kind !== 'serving') {
          const problem: GatewayProblem =
            resolution.kind === 'unserved'
              ? { kind: 'unknown-host', hostname }
              : { kind: 'no-deployment', retryAfterSeconds };
          return stampResponse(gatewayProblem(problem, requestId), requestId);
        }
        deployment = resolution.deployment;
        const scope = { requestId, env: env as Readonly<Record<string, unknown>>, log, now, waitUntil };
        const result = await handleRequest(request, url, hostname, deployment, scope);
        response = stampResponse(result.response, requestId, deployment.id);
        handled = result;
      } catch (error) {
        log.error('unhandled error', { requestId, error: describeError(error) });
        response = stampResponse(
          gatewayProblem({ kind: 'internal-error' }, requestId),
          requestId,
          deployment?.id,
        );
      }
      // Built from values at hand once the head is ready; sent in waitUntil, after the response.
      if (emit && deployment) {
        const served = { request, response, requestId, deployment, startedAt, finishedAt: now(), handled };
        emit(analyticsEvent(served), waitUntil);
      }
      return response;
    },
  };
}

/** A policy may throw anything, not only Errors. */
function describeError(error: unknown): string {
  return (error instanceof Error ? error.stack : undefined) ?? String(error);
}
