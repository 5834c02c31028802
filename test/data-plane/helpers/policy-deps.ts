/**
 * The PolicyDeps a policy test hands `create`, as the gateway builds them: the policy's
 * name, the environment (production unless given), and an API-key directory over the
 * real KV binding with the test's clock.
 */
import { env } from 'cloudflare:workers';
import { createApiKeyDirectory } from '../../../src/identity/api-key-directory.ts';
import type { Logger, PolicyDeps } from '../../../src/policies/contract.ts';

const quiet: Logger = { info() {}, warn() {}, error() {} };

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
  return { name, environment: options.environment ?? 'production', apiKeys };
}
