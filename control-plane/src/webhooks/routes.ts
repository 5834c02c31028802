/**
 * Mounted at /api/v1 ahead of the bearer-authenticated API: the providers' push webhooks,
 * which a signature authenticates instead of a bearer token (`POST /webhooks/github`,
 * `POST /webhooks/gitlab`, `POST /webhooks/gitea`), and the admin API that registers repositories for them
 * (`/repositories`). Webhook deploys run against the same deploy context as API deploys.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../api/context.ts';
import { type DeployContextOptions, deployContext } from '../api/deploy-context.ts';
import { problem } from '../api/problems.ts';
import { webhookHandler } from './handle-delivery.ts';
import { providers } from './providers/index.ts';
import { repositoryRoutes } from './repositories-api.ts';

/** GitHub caps webhook payloads at 25 MB; a push payload is far smaller. */
const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

export function webhookRoutes(context: DeployContextOptions): Hono<AppEnv> {
  const webhooks = new Hono<AppEnv>()
    .use(
      bodyLimit({
        maxSize: MAX_PAYLOAD_BYTES,
        onError: (c) =>
          problem(c, {
            slug: 'payload-too-large',
            status: 413,
            title: 'Webhook payload too large',
            detail: `A webhook payload is at most ${MAX_PAYLOAD_BYTES} bytes.`,
          }),
      }),
    )
    .use(deployContext(context))
    .post('/github', webhookHandler(providers.github))
    .post('/gitlab', webhookHandler(providers.gitlab))
    .post('/gitea', webhookHandler(providers.gitea));
  return new Hono<AppEnv>().route('/webhooks', webhooks).route('/repositories', repositoryRoutes);
}
