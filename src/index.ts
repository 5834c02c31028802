/**
 * The data plane worker. One gateway per isolate, built from the worker's bindings on
 * its first request, so its configuration cache lives as long as the isolate does.
 * The rate-limit zone's Durable Object class is exported from here, as workerd requires.
 */
import { createGateway, type Gateway } from './pipeline/gateway.ts';
import { createZoneClient } from './rate-limit/zone-client.ts';

export { RateLimitZone } from './rate-limit/zone.ts';

const DEFAULT_POINTER_TTL_MS = 5_000;
const DEFAULT_API_KEY_TTL_MS = 10_000;
const DEFAULT_ZONE_TIMEOUT_MS = 1_000;

let gateway: Gateway | undefined;

/** A duration var in milliseconds; the default when unset or not a non-negative number. */
function milliseconds(configured: string | undefined, fallback: number): number {
  const value = Number(configured);
  return configured !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export default {
  fetch(request, env, ctx) {
    gateway ??= createGateway({
      kv: env.CONFIG,
      defaultEnvironment: env.DEFAULT_ENVIRONMENT,
      previewHostSuffix: env.PREVIEW_HOST_SUFFIX,
      pointerTtlMs: milliseconds(env.POINTER_TTL_MS, DEFAULT_POINTER_TTL_MS),
      apiKeyTtlMs: milliseconds(env.API_KEY_TTL_MS, DEFAULT_API_KEY_TTL_MS),
      secretsKey: env.SECRETS_KEY,
      // Optional: a config without the Queue binding sends no analytics events.
      analytics: env.ANALYTICS as Queue | undefined,
      rateLimitZone: createZoneClient(env.RATE_LIMIT_ZONE, {
        timeoutMs: milliseconds(env.ZONE_TIMEOUT_MS, DEFAULT_ZONE_TIMEOUT_MS),
      }),
    });
    return gateway.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<DataPlaneEnv>;
