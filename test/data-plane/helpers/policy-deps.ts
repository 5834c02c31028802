/**
 * The PolicyDeps a policy test hands `create`, as the gateway builds them: the policy's
 * name, the environment (production unless given), an API-key directory over the
 * real KV binding with the test's clock, and a client of the real rate-limit zone.
 */
import { env } from 'cloudflare:workers';
import { createApiKeyDirectory } from '../../../src/identity/api-key-directory.ts';
import type { Logger, PolicyDeps } from '../../../src/policies/contract.ts';
import type { RateLimitZone } from '../../../src/rate-limit/protocol.ts';
import { createZoneClient } from '../../../src/rate-limit/zone-client.ts';

const quiet: Logger = { info() {}, warn() {}, error() {} };

/** The zone over the test runtime's real RATE_LIMIT_ZONE namespace, as src/index.ts builds it. */
export const testZone: RateLimitZone = createZoneClient(env.RATE_LIMIT_ZONE, { timeoutMs: 1_000 });

export function policyDeps(
  name: string,
  options: { environment?: string; now?: () => number; apiKeyTtlMs?: number } = {},
): PolicyDeps {
  const apiKeys = createApiKeyDirectory({
    kv: env.CONFIG,
    ttlMs: options.apiKeyTtlMs ?? 10_000,
    now: options.now ?? Date.now,
    log: quiet,
  });
  return { name, environment: options.environment ?? 'production', apiKeys, rateLimitZone: testZone };
}
