/**
 * A real control plane for tests that run in Node: the worker of
 * control-plane/wrangler.toml under workerd, through wrangler's test harness, with local
 * D1 (every migration in control-plane/migrations applied) and KV, on a loopback port.
 * Start one per test file; each starts with empty storage.
 */
import { resolve } from 'node:path';
import { createTestHarness } from 'wrangler';

export const ADMIN_TOKEN = 'test-admin-token';
/** Base64 of 32 fixed bytes: the key secrets are sealed under, for tests only. */
const SECRETS_KEY = btoa('edgeway-cli-test-secrets-key-32b');

export interface TestControlPlane {
  readonly url: string;
  /** Makes an API token with the role, as an admin would. */
  createToken(role: 'viewer' | 'deployer' | 'admin'): Promise<string>;
  close(): Promise<void>;
}

export async function startControlPlane(): Promise<TestControlPlane> {
  const server = createTestHarness({
    root: resolve(import.meta.dirname, '../..'),
    workers: [{ configPath: './control-plane/wrangler.toml', secrets: { ADMIN_TOKEN, SECRETS_KEY } }],
  });
  try {
    const { url } = await server.listen();
    await server.getWorker().applyD1Migrations('DB');
    const base = url.origin;
    return {
      url: base,
      async createToken(role) {
        const response = await fetch(`${base}/api/v1/tokens`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `test ${role}`, role }),
        });
        if (response.status !== 201)
          throw new Error(`creating a token: ${response.status} ${await response.text()}`);
        return ((await response.json()) as { token: string }).token;
      },
      close: () => server.close(),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
