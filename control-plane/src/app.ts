/**
 * The control plane's HTTP surface: GET /healthz, the REST API under /api/v1, signing in
 * and out under /auth, the dashboard's pages (with security headers that keep them
 * out of other sites' frames) and their static files under /assets, a 404 problem for anything else, and the one handler that
 * turns an unexpected error into a 500 problem that leaks nothing. `createApp` takes the
 * KV wrapper and lease wait as options so tests can inject a failing KV binding or a
 * short wait.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { analyticsRoutes } from './api/analytics.ts';
import { apiKeyRoutes } from './api/api-keys.ts';
import { auditRoutes } from './api/audit.ts';
import { authenticateCaller } from './api/auth.ts';
import { consumerRoutes } from './api/consumers.ts';
import type { AppEnv } from './api/context.ts';
import { type DeployContextOptions, deployContext } from './api/deploy-context.ts';
import { deploymentRoutes } from './api/deployments.ts';
import { environmentValueRoutes } from './api/environment-values.ts';
import { environmentRoutes } from './api/environments.ts';
import { memberRoutes } from './api/members.ts';
import { internalProblem, notFoundProblem, problem } from './api/problems.ts';
import { settingsRoutes } from './api/settings.ts';
import { tokenRoutes } from './api/tokens.ts';
import { ASSETS_PATH, assetRoutes } from './dashboard/assets.ts';
import { dashboardRoutes } from './dashboard/routes.ts';
import { signInRoutes } from './dashboard/sign-in.tsx';
import type { ConfigKv } from './deploy/config-kv.ts';
import { requestLogger } from './log.ts';
import { webhookRoutes } from './webhooks/routes.ts';

export interface AppOptions {
  /** Wraps the CONFIG binding; the default uses it as it is. */
  readonly configKv?: (binding: KVNamespace) => ConfigKv;
  /** How long a deploy waits for another one to the same environment; default 10 s. */
  readonly leaseWaitMs?: number;
}

const DEFAULT_LEASE_WAIT_MS = 10_000;

/** Pages load only what the control plane serves and may not be framed (clickjacking). */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'self'"], frameAncestors: ["'none'"], formAction: ["'self'"] },
  xFrameOptions: 'DENY',
});

export function createApp(options: AppOptions = {}): Hono<AppEnv> {
  const context: DeployContextOptions = {
    configKv: options.configKv ?? ((binding) => binding),
    leaseWaitMs: options.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS,
  };

  const api = new Hono<AppEnv>()
    .use(authenticateCaller)
    .use(deployContext(context))
    .route('/analytics', analyticsRoutes)
    .route('/audit', auditRoutes)
    .route('/consumers', consumerRoutes)
    .route('/deployments', deploymentRoutes)
    .route('/environments', environmentRoutes)
    .route('/environments', environmentValueRoutes)
    .route('/keys', apiKeyRoutes)
    .route('/members', memberRoutes)
    .route('/settings', settingsRoutes)
    .route('/tokens', tokenRoutes);

  return new Hono<AppEnv>()
    .use(requestId())
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .route('/api/v1', webhookRoutes(context))
    .route('/api/v1', api)
    .use('/auth/*', pageHeaders)
    .route('/auth', signInRoutes)
    .route(ASSETS_PATH, assetRoutes)
    .route('/', dashboardRoutes(context, pageHeaders))
    .notFound((c) => problem(c, notFoundProblem))
    .onError((error, c) => {
      if (error instanceof HTTPException && error.status < 500) {
        return problem(c, {
          slug: 'bad-request',
          status: error.status,
          title: 'Bad request',
          detail: error.message,
        });
      }
      requestLogger(c.get('requestId'))(`${c.req.method} ${new URL(c.req.url).pathname} failed`, error);
      return problem(c, internalProblem);
    });
}
