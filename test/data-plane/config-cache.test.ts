import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { CompiledDeployment } from '../../src/config/compiled.ts';
import { kvKeys } from '../../src/config/kv-keys.ts';
import {
  compileDeployment,
  type DeploymentSpec,
  mock,
  newDeploymentId,
  proxyTo,
  uniqueName,
} from './helpers/deployments.ts';
import { createHarness, type Harness, POINTER_TTL_MS } from './helpers/harness.ts';
import { mapHost, pointTo, publish, writeBlob } from './helpers/kv.ts';
import { expectProblem } from './helpers/problems.ts';

const routes = [{ path: '/which', handler: mock('served') }];

/** The deployment id the gateway stamped on a response for `/which`. */
async function servedBy(gw: Harness, host?: string): Promise<string | null> {
  const response = await gw.send(host ? `http://${host}/which` : '/which');
  await response.arrayBuffer();
  return response.headers.get('edgeway-deployment');
}

function refreshFailures(gw: Harness) {
  return gw.logs.filter((line) => line.message === 'configuration refresh failed; keeping last-known-good');
}

describe('isolate cache', () => {
  it('reads host, pointer and blob once, then only host and pointer after each TTL', async () => {
    const gw = createHarness();
    const live = await gw.deploy(routes);
    for (let i = 0; i < 5; i++) expect(await servedBy(gw)).toBe(live.deploymentId);
    expect(gw.store.reads).toBe(3);
    gw.advance(POINTER_TTL_MS);
    expect(await servedBy(gw)).toBe(live.deploymentId);
    expect(gw.store.reads).toBe(5);
  });

  it('picks up a pointer change once the TTL has passed', async () => {
    const gw = createHarness();
    const first = await gw.deploy(routes);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    const second = await gw.deploy(routes);
    gw.advance(POINTER_TTL_MS - 1);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    gw.advance(1);
    // Stale-while-revalidate: this request is served at once and starts the refresh.
    expect(await servedBy(gw)).toBe(first.deploymentId);
    expect(await servedBy(gw)).toBe(second.deploymentId);
  });

  it('loads a cold host once however many requests wait for it', async () => {
    const gw = createHarness();
    const live = await gw.deploy(routes);
    const served = await Promise.all(Array.from({ length: 10 }, () => servedBy(gw)));
    expect(new Set(served)).toEqual(new Set([live.deploymentId]));
    expect(gw.store.reads).toBe(3);
  });

  it('serves the environment a host record names, and the default environment otherwise', async () => {
    const gw = createHarness();
    const fallback = await gw.deploy(routes);
    const other = await compileDeployment({ environment: uniqueName('other'), routes });
    await publish(env.CONFIG, other);
    const host = `${uniqueName('mapped')}.example`;
    await mapHost(env.CONFIG, host, other.environment);
    expect(await servedBy(gw, host)).toBe(other.deploymentId);
    expect(await servedBy(gw)).toBe(fallback.deploymentId);
  });
});

describe('last-known-good', () => {
  it('keeps serving while KV throws, and picks up the new deployment once it recovers', async () => {
    const gw = createHarness();
    const first = await gw.deploy(routes);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    const second = await gw.deploy(routes);
    gw.store.failing = true;
    gw.advance(POINTER_TTL_MS);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    expect(refreshFailures(gw).map((line) => line.fields)).toEqual([
      expect.objectContaining({
        reason: 'kv-unavailable',
        key: kvKeys.host(gw.hostname),
        serving: first.deploymentId,
      }),
    ]);

    gw.store.failing = false;
    gw.advance(POINTER_TTL_MS);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    expect(await servedBy(gw)).toBe(second.deploymentId);
  });

  it('keeps serving when the pointer names a missing blob, and retries until it appears', async () => {
    const gw = createHarness();
    const first = await gw.deploy(routes);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    const second = await compileDeployment({ environment: gw.environment, routes });
    await pointTo(env.CONFIG, gw.environment, second.deploymentId);
    gw.advance(POINTER_TTL_MS);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    expect(refreshFailures(gw).at(-1)?.fields).toMatchObject({
      reason: 'missing',
      key: kvKeys.deployment(second.deploymentId),
    });

    await writeBlob(env.CONFIG, second);
    gw.advance(POINTER_TTL_MS);
    await servedBy(gw);
    expect(await servedBy(gw)).toBe(second.deploymentId);
  });

  /** A blob that verifies but cannot be loaded, stored as `valid`'s deployment. */
  async function unloadable(
    valid: CompiledDeployment,
    spec: Omit<DeploymentSpec, 'environment'>,
  ): Promise<string> {
    const deployment = await compileDeployment({ environment: valid.environment, ...spec });
    return JSON.stringify({ ...deployment, deploymentId: valid.deploymentId });
  }

  const corruptions: [string, (valid: CompiledDeployment) => string | Promise<string>, RegExp][] = [
    ['not JSON', () => '{"format": 1,', /^is not JSON$/],
    [
      'not a deployment',
      (valid) => JSON.stringify({ ...valid, config: { ...valid.config, routes: 'none' } }),
      /^does not match the schema at config\.routes/,
    ],
    [
      'a hash that does not match',
      (valid) => JSON.stringify({ ...valid, config: { ...valid.config, hosts: ['x.example'] } }),
      /^hashes to sha256:[0-9a-f]{64}, not its recorded/,
    ],
    ['an unreadable format', (valid) => JSON.stringify({ ...valid, format: 99 }), /^has format 99/],
    [
      'another deployment',
      (valid) => JSON.stringify({ ...valid, deploymentId: newDeploymentId() }),
      /^holds deployment/,
    ],
    [
      'an unknown policy type',
      (valid) =>
        unloadable(valid, {
          policies: { future: { type: 'no-such-policy', mode: 'enforce', options: {} } },
          routes: [{ path: '/which', inbound: ['future'], handler: mock('') }],
        }),
      /^policy "future" has type "no-such-policy"/,
    ],
    [
      'an undefined upstream',
      (valid) => unloadable(valid, { routes: [{ path: '/which', handler: proxyTo('nowhere') }] }),
      /proxies to upstream "nowhere", which is not defined$/,
    ],
  ];

  it.each(corruptions)('keeps serving past a blob holding %s', async (_, corrupt, detail) => {
    const gw = createHarness();
    const first = await gw.deploy(routes);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    const target = await compileDeployment({ environment: gw.environment, routes });
    await env.CONFIG.put(kvKeys.deployment(target.deploymentId), await corrupt(target));
    await pointTo(env.CONFIG, gw.environment, target.deploymentId);
    gw.advance(POINTER_TTL_MS);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    expect(refreshFailures(gw).at(-1)?.fields).toMatchObject({
      reason: 'corrupt',
      key: kvKeys.deployment(target.deploymentId),
      serving: first.deploymentId,
      detail: expect.stringMatching(detail),
    });

    const repaired = await gw.deploy(routes);
    gw.advance(POINTER_TTL_MS);
    await servedBy(gw);
    expect(await servedBy(gw)).toBe(repaired.deploymentId);
  });

  it('keeps serving past a pointer to a format it cannot read', async () => {
    const gw = createHarness();
    const first = await gw.deploy(routes);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    await pointTo(env.CONFIG, gw.environment, newDeploymentId(), 99);
    gw.advance(POINTER_TTL_MS);
    expect(await servedBy(gw)).toBe(first.deploymentId);
    expect(refreshFailures(gw).at(-1)?.fields).toMatchObject({
      reason: 'corrupt',
      key: kvKeys.environmentPointer(gw.environment),
    });
  });
});

describe('cold start', () => {
  it('answers 503 with Retry-After while KV is down, without retrying KV per request', async () => {
    const gw = createHarness();
    await gw.deploy(routes);
    gw.store.failing = true;
    const response = await gw.send('/which');
    expect(response.headers.get('retry-after')).toBe(String(POINTER_TTL_MS / 1000));
    expect(response.headers.get('edgeway-deployment')).toBeNull();
    await expectProblem(response, 503, 'no-deployment');
    const reads = gw.store.reads;
    await expectProblem(await gw.send('/which'), 503, 'no-deployment');
    expect(gw.store.reads).toBe(reads);

    gw.store.failing = false;
    gw.advance(POINTER_TTL_MS);
    expect((await gw.send('/which')).status).toBe(200);
  });

  it('answers 503 while the environment has no pointer', async () => {
    const gw = createHarness();
    await expectProblem(await gw.send('/which'), 503, 'no-deployment');
    expect(refreshFailures(gw).at(-1)?.fields).toMatchObject({
      reason: 'missing',
      key: kvKeys.environmentPointer(gw.environment),
      serving: null,
    });
  });

  it('answers 503 when the only deployment is corrupt', async () => {
    const gw = createHarness();
    const target = await compileDeployment({ environment: gw.environment, routes });
    await env.CONFIG.put(
      kvKeys.deployment(target.deploymentId),
      JSON.stringify({ ...target, hash: `sha256:${'0'.repeat(64)}` }),
    );
    await pointTo(env.CONFIG, gw.environment, target.deploymentId);
    await expectProblem(await gw.send('/which'), 503, 'no-deployment');
  });
});
