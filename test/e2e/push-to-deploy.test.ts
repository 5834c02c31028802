/**
 * Push to deploy for real: a bare repository with the hook `edgeway remote install`
 * writes, `git push` from a clone of it, and one local stack (both workers under wrangler
 * dev, the data plane re-reading its pointers every POINTER_TTL_MS as configured in
 * wrangler.toml) serving what was pushed: production within 10 s, a broken config that
 * changes nothing, a branch's preview at its own host and its removal with the branch,
 * `edgeway rollback`, and a secret set with `edgeway secrets set` reaching the upstream
 * through a pushed policy.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneClient } from '../../cli/lib/control-plane-client.ts';
import { type LocalStack, startLocalStack } from '../../scripts/lib/local-stack.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { connectionFlags, runCli } from '../support/cli.ts';
import { BROKEN_CONFIG, BROKEN_CONFIG_ERRORS } from '../support/gateway-configs.ts';
import { cloneRepo, createBareRepo, push, pushedDeploymentId, remoteLines } from '../support/git-remote.ts';
import { commitAll, git } from '../support/git-repos.ts';
import { eventually, type Served, serve } from './support/data-plane.ts';

const persistTo = mkdtempSync(join(tmpdir(), 'edgeway-e2e-push-'));
const BRANCH = 'feature/Push-Preview';
const SLUG = 'feature-push-preview';
let stack: LocalStack;
let api: ControlPlaneClient;
let clone: string;
let dataPort: number;
/** Deployment ids by the config's tag. */
const deployed: Record<string, string> = {};

/** A config whose GET /version answers `tag`. */
const configTagged = (tag: string) => `version: 1
routes:
  - path: /version
    mock:
      body: ${tag}
`;

const version = (host?: string) => serve(stack.dataUrl, '/version', host);
const servedBy = (id: string, host?: string) => async (): Promise<Served | undefined> => {
  const response = await version(host);
  return response.deploymentId === id ? response : undefined;
};

beforeAll(async () => {
  dataPort = await freePort();
  stack = await startLocalStack({
    root: resolve(import.meta.dirname, '../..'),
    persistTo,
    dataPort,
    controlPort: await freePort(),
    upstreamPort: await freePort(),
  });
  api = new ControlPlaneClient(stack.controlUrl, stack.adminToken);
  const bare = createBareRepo();
  const install = await runCli([
    'remote',
    'install',
    bare,
    ...connectionFlags(stack.controlUrl, stack.adminToken),
  ]);
  expect(install.code, install.stderr).toBe(0);
  clone = cloneRepo(bare);
  commitAll(clone, 'One', { 'edgeway.yaml': configTagged('one') });
  deployed.one = pushedDeploymentId(push(clone, ['origin', 'main']));
  await eventually(servedBy(deployed.one), 15_000);
});

afterAll(async () => {
  await stack?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

describe('git push to a remote with the edgeway hook', () => {
  it('serves a new config pushed to production within 10 s, and the push reports the deployment', async () => {
    const sha = commitAll(clone, 'Two', { 'edgeway.yaml': configTagged('two') });
    const started = Date.now();
    const pushed = push(clone, ['origin', 'main']);
    const id = pushedDeploymentId(pushed);
    expect(remoteLines(pushed)).toEqual([
      `Deploying main at ${sha.slice(0, 12)} (Two)...`,
      `Uploading 1 file to ${stack.controlUrl}...`,
      `Live: ${id} in production at http://localhost:${dataPort}`,
    ]);
    const served = await eventually(servedBy(id), 10_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(served).toMatchObject({ status: 200, body: 'two' });
    expect(await api.getDeployment(id)).toMatchObject({ commit: sha, branch: 'main', trigger: 'git-push' });
    deployed.two = id;
  });

  it("prints a broken config's errors as file:line:col, and production keeps serving", async () => {
    commitAll(clone, 'Broken', { 'edgeway.yaml': BROKEN_CONFIG });
    const pushed = push(clone, ['origin', 'main']);
    expect(pushed.code).toBe(0);
    expect(remoteLines(pushed).slice(-3)).toEqual([
      'edgeway: the control plane rejected the config (2 errors); nothing was deployed',
      ...BROKEN_CONFIG_ERRORS,
    ]);
    expect((await api.getEnvironment('production')).liveDeploymentId).toBe(deployed.two);
    expect(await version()).toMatchObject({ deploymentId: deployed.two, body: 'two' });
    git(clone, ['reset', '--quiet', '--hard', 'HEAD~1']);
  });

  it("deploys a branch to a preview served at its own host, and production's stays", async () => {
    git(clone, ['checkout', '--quiet', '-b', BRANCH]);
    commitAll(clone, 'Preview', { 'edgeway.yaml': configTagged('preview') });
    const pushed = push(clone, ['origin', BRANCH]);
    const id = pushedDeploymentId(pushed);
    expect(remoteLines(pushed)).toContain(`Live: ${id} in ${SLUG} at http://${SLUG}.localhost:${dataPort}`);
    const preview = await eventually(servedBy(id, `${SLUG}.localhost:${dataPort}`), 10_000);
    expect(preview).toMatchObject({ status: 200, body: 'preview' });
    expect(await version()).toMatchObject({ deploymentId: deployed.two, body: 'two' });
  });

  it('removes the preview when the branch is deleted: its URL answers 404 problem+json', async () => {
    const pushed = push(clone, ['origin', '--delete', BRANCH]);
    expect(remoteLines(pushed)).toEqual([
      `Deleted ${SLUG}, the preview environment of ${BRANCH}; http://${SLUG}.localhost:${dataPort} answers 404 now.`,
    ]);
    await expect(api.getEnvironment(SLUG)).rejects.toMatchObject({ status: 404 });
    const host = `${SLUG}.localhost:${dataPort}`;
    // Within a pointer TTL for the host's record, and one more for an isolate that cached it.
    const gone = await eventually(async () => {
      const response = await version(host);
      return response.status === 404 ? response : undefined;
    }, 15_000).catch(() => version(host));
    expect(gone).toMatchObject({ status: 404, contentType: 'application/problem+json' });
    expect(await version()).toMatchObject({ deploymentId: deployed.two, body: 'two' });
  });

  it('serves the previous deployment again after edgeway rollback', async () => {
    const run = await runCli(['rollback', ...connectionFlags(stack.controlUrl, stack.adminToken)]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `Rolled back production to ${deployed.one} (it was serving ${deployed.two}). Served at http://localhost:${dataPort}\n`,
    );
    const served = await eventually(servedBy(deployed.one!), 10_000);
    expect(served.body).toBe('one');
  });

  it('fills in a secret set with the CLI where a pushed policy uses it', async () => {
    const secret = 'upstream-token-e2e-4f1a';
    const set = await runCli(
      [
        'secrets',
        'set',
        'UPSTREAM_TOKEN',
        '-e',
        'production',
        ...connectionFlags(stack.controlUrl, stack.adminToken),
      ],
      { input: secret },
    );
    expect(set.code, set.stderr).toBe(0);
    // Build on what main holds now (the broken commit pushed above).
    git(clone, ['checkout', '--quiet', 'main']);
    git(clone, ['fetch', '--quiet', 'origin']);
    git(clone, ['reset', '--quiet', '--hard', 'origin/main']);
    commitAll(clone, 'Secret', {
      'edgeway.yaml': `version: 1
upstreams:
  demo: { url: "${stack.upstreamUrl}" }
policies:
  upstream-auth:
    type: set-headers
    options:
      set: { authorization: "Bearer \${secret.UPSTREAM_TOKEN}" }
routes:
  - path: /echo/*
    upstream: demo
    inbound: [upstream-auth]
`,
    });
    const id = pushedDeploymentId(push(clone, ['origin', 'main']));
    const echoed = await eventually(async () => {
      const response = await serve(stack.dataUrl, '/echo/secret');
      return response.deploymentId === id ? response : undefined;
    }, 10_000);
    expect(JSON.parse(echoed.body).headers.authorization).toBe(`Bearer ${secret}`);
    // Not in clear anywhere the workers persist: KV blobs, D1, caches.
    const files = readdirSync(persistTo, { recursive: true, withFileTypes: true }).filter((entry) =>
      entry.isFile(),
    );
    const holding = files.filter((entry) =>
      readFileSync(join(entry.parentPath, entry.name)).includes(secret),
    );
    expect(holding.map((entry) => entry.name)).toEqual([]);
  });
});
