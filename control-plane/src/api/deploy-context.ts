/**
 * The middleware that gives a request its DeployContext (D1, the KV wrapper, the lease
 * wait, a request-scoped logger, the environment settings), shared by the bearer API and
 * the provider webhooks so both deploy the same way.
 */
import type { MiddlewareHandler } from 'hono';
import type { ConfigKv } from '../deploy/config-kv.ts';
import { environmentSettings } from '../deploy/environment-settings.ts';
import { requestLogger } from '../log.ts';
import type { AppEnv } from './context.ts';

export interface DeployContextOptions {
  readonly configKv: (binding: KVNamespace) => ConfigKv;
  readonly leaseWaitMs: number;
}

export function deployContext({ configKv, leaseWaitMs }: DeployContextOptions): MiddlewareHandler<AppEnv> {
  return async function attachDeployContext(c, next) {
    c.set('deploy', {
      db: c.env.DB,
      kv: configKv(c.env.CONFIG),
      leaseWaitMs,
      log: requestLogger(c.get('requestId')),
      settings: environmentSettings(c.env),
      secretsKey: c.env.SECRETS_KEY,
    });
    await next();
  };
}
