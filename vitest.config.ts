/**
 * Test layers (DESIGN.md "Testing"): pure modules in Node, each worker in the real
 * workerd runtime through @cloudflare/vitest-plugin, and end-to-end tests that drive the
 * real `wrangler dev` processes over HTTP.
 */
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['control-plane/src/compiler/**/*.test.ts', 'cli/**/*.test.ts', 'test/unit/**/*.test.ts'],
        },
      },
      {
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
        test: {
          name: 'data-plane',
          include: ['src/**/*.test.ts', 'test/data-plane/**/*.test.ts'],
          // Real HTTP upstreams on loopback for the gateway under test to proxy to.
          globalSetup: [
            './test/support/data-plane-upstreams.ts',
            './test/support/jwks-server.ts',
            './test/support/oauth-server.ts',
          ],
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: './control-plane/wrangler.toml' },
            miniflare: {
              bindings: {
                ADMIN_TOKEN: 'test-admin-token',
                SECRETS_KEY: 'ZWRnZXdheS10ZXN0LXNlY3JldHMta2V5LTMyLWJ5dGU=',
                // The provider API token a test repository registration names.
                FAKE_PROVIDER_TOKEN: 'fake-provider-token',
                TEST_MIGRATIONS: await readD1Migrations('./control-plane/migrations'),
              },
              // A producer for the analytics Queue the control plane consumes, so tests can send through it.
              queueProducers: { ANALYTICS: 'edgeway-analytics' },
            },
          })),
        ],
        test: {
          name: 'control-plane',
          include: ['control-plane/src/**/*.test.ts', 'test/control-plane/**/*.test.ts'],
          exclude: ['control-plane/src/compiler/**'],
          setupFiles: ['./test/control-plane/apply-migrations.ts'],
          // A fake GitHub and GitLab serving `git archive` of a real repository, for webhook tests.
          globalSetup: ['./test/support/fake-git-provider.ts'],
        },
      },
      {
        test: {
          name: 'cli',
          environment: 'node',
          // The edgeway CLI as a child process, against a real control plane per file.
          include: ['test/cli/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
