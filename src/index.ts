/**
 * The data plane worker. One gateway per isolate, built from the worker's bindings on
 * its first request, so its configuration cache lives as long as the isolate does.
 */
import { createGateway, type Gateway } from './pipeline/gateway.ts';

const DEFAULT_POINTER_TTL_MS = 5_000;

let gateway: Gateway | undefined;

function pointerTtlMs(configured: string): number {
  const value = Number(configured);
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_POINTER_TTL_MS;
}

export default {
  fetch(request, env, ctx) {
    gateway ??= createGateway({
      kv: env.CONFIG,
      defaultEnvironment: env.DEFAULT_ENVIRONMENT,
      previewHostSuffix: env.PREVIEW_HOST_SUFFIX,
      pointerTtlMs: pointerTtlMs(env.POINTER_TTL_MS),
      secretsKey: env.SECRETS_KEY,
    });
    return gateway.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<DataPlaneEnv>;
