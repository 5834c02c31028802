/** Deploys: the blob before the pointer, failed compiles that change nothing, supersede, list and get. */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { COMPILED_FORMAT } from '../../src/config/compiled.ts';
import {
  allKvKeys,
  appWith,
  blobIsWhole,
  bundle,
  callJson,
  deployLive,
  deployRequest,
  holdLease,
  leaseHolder,
  readPointer,
  recordingKv,
  statusOf,
  uniqueEnvironment,
} from './support.ts';

function brokenConfig(environment: string): string {
  return `version: 1
upstreams:
  demo:
    url: \${env.DEMO_URL}
    timeoutMs: soon
routes:
  - path: /echo/*
    upstream: demo
    surprise: true
environments:
  ${environment}:
    vars:
      DEMO_URL: http://127.0.0.1:8789
`;
}

describe('a successful deploy', () => {
  it('writes the blob, points the environment at it, and records it live', async () => {
    const environment = uniqueEnvironment('ok');
    const response = await deployRequest(environment);
    expect(response.status).toBe(201);
    const deployment = await response.json<Record<string, unknown>>();
    const id = deployment.id as string;
    expect(response.headers.get('location')).toBe(`/api/v1/deployments/${id}`);
    expect(deployment).toEqual({
      id: expect.stringMatching(/^dep_[0-9a-z]{26}$/),
      environment,
      status: 'live',
      commit: '4f2c1e9',
      branch: 'main',
      author: 'Ada <ada@example.com>',
      message: 'Ship it',
      trigger: 'api',
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      format: COMPILED_FORMAT,
      createdBy: 'admin',
      createdAt: expect.any(String),
      finishedAt: expect.any(String),
      warnings: [],
      url: `http://${environment}.localhost:8787`,
    });

    expect(await blobIsWhole(id)).toBe(true);
    const blob = JSON.parse((await env.CONFIG.get(`deployment/${id}`))!);
    expect(blob).toMatchObject({
      format: COMPILED_FORMAT,
      deploymentId: id,
      environment,
      hash: deployment.hash,
    });
    expect(await readPointer(environment)).toEqual({
      deploymentId: id,
      format: COMPILED_FORMAT,
      updatedAt: expect.any(String),
    });

    const row = await env.DB.prepare(
      'SELECT live_deployment_id, lease_holder FROM environments WHERE name = ?',
    )
      .bind(environment)
      .first();
    expect(row).toEqual({ live_deployment_id: id, lease_holder: null });
    const audit = await env.DB.prepare('SELECT actor, action, details FROM audit_log WHERE target = ?')
      .bind(id)
      .all();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]).toMatchObject({ actor: 'admin', action: 'deployment.create' });
    // The environment's live deployment and hosts before and after the deploy.
    expect(JSON.parse(String(audit.results[0]?.details))).toEqual({
      environment,
      commit: '4f2c1e9',
      outcome: 'live',
      before: { liveDeploymentId: null, hosts: [] },
      after: { liveDeploymentId: id, hosts: expect.any(Array) },
    });
    expect((await callJson(`/api/v1/deployments/${id}`)).body).toEqual(deployment);
  });

  it('writes the blob before the pointer, and the pointer before the host keys (the preview host last)', async () => {
    const environment = uniqueEnvironment('order');
    const kv = recordingKv();
    const response = await deployRequest(environment, {
      hosts: ['order.example.test'],
      handler: appWith({ configKv: kv.wrap }),
    });
    const { id } = await response.json<{ id: string }>();
    expect(kv.writes).toEqual([
      `put deployment/${id}`,
      `put environment/${environment}/live`,
      'put host/order.example.test',
      `put host/${environment}.localhost`,
    ]);
  });

  it('supersedes the previous deployment and lists newest first, page by page', async () => {
    const environment = uniqueEnvironment('supersede');
    const first = await deployLive(environment, { tag: 'first' });
    const second = await deployLive(environment, { tag: 'second' });
    expect(second.hash).not.toBe(first.hash);
    expect(await statusOf(first.id)).toBe('superseded');
    expect((await readPointer(environment))?.deploymentId).toBe(second.id);
    expect(await blobIsWhole(first.id)).toBe(true);

    const page1 = await callJson(`/api/v1/deployments?environment=${environment}&limit=1`);
    expect(page1.body.deployments.map((d: { id: string }) => d.id)).toEqual([second.id]);
    const page2 = await callJson(
      `/api/v1/deployments?environment=${environment}&limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.deployments).toMatchObject([{ id: first.id, status: 'superseded' }]);
    const page3 = await callJson(
      `/api/v1/deployments?environment=${environment}&limit=1&cursor=${page2.body.nextCursor}`,
    );
    expect(page3.body).toEqual({ deployments: [], nextCursor: null });

    const all = await callJson('/api/v1/deployments?limit=100');
    expect(all.body.deployments.map((d: { id: string }) => d.id)).toEqual(
      expect.arrayContaining([first.id, second.id]),
    );
    const { body } = await callJson(`/api/v1/environments/${environment}`);
    const url = `http://${environment}.localhost:8787`;
    expect(body).toMatchObject({
      name: environment,
      liveDeploymentId: second.id,
      hosts: [`${environment}.localhost`],
      url,
      liveDeployment: { id: second.id, url },
    });
    const listed = await callJson('/api/v1/environments');
    expect(listed.body.environments).toContainEqual({
      name: environment,
      liveDeploymentId: second.id,
      hosts: [`${environment}.localhost`],
      updatedAt: expect.any(String),
      url,
    });
  });

  it('gives the same config the same hash', async () => {
    const environment = uniqueEnvironment('same');
    const first = await deployLive(environment);
    const second = await deployLive(environment);
    expect(second.hash).toBe(first.hash);
    expect(second.id).not.toBe(first.id);
  });

  it("goes live with an unused upstream and shows the compiler's warning", async () => {
    const environment = uniqueEnvironment('warned');
    const config = `version: 1
upstreams:
  demo: { url: "http://127.0.0.1:8789" }
  spare: { url: "http://127.0.0.1:8790" }
routes:
  - path: /echo/*
    upstream: demo
`;
    const { status, body } = await callJson('/api/v1/deployments', {
      json: bundle(environment, { 'edgeway.yaml': config }),
    });
    expect(status).toBe(201);
    const warning = {
      file: 'edgeway.yaml',
      line: 4,
      column: 3,
      path: '$.upstreams.spare',
      message: 'upstream "spare" is not used by any route; expected a route that names it, or remove it',
    };
    expect(body).toMatchObject({ status: 'live', warnings: [warning] });
    const { body: shown } = await callJson(`/api/v1/deployments/${body.id}`);
    expect(shown).toMatchObject({ status: 'live', warnings: [warning] });
  });

  it('answers 404 problems for an unknown deployment or environment', async () => {
    const deployment = await callJson('/api/v1/deployments/dep_00000000000000000000000000');
    expect(deployment.status).toBe(404);
    expect(deployment.body.type).toBe('https://edgeway.dev/problems/deployment-not-found');
    const environment = await callJson('/api/v1/environments/never-deployed');
    expect(environment.status).toBe(404);
    expect(environment.body.type).toBe('https://edgeway.dev/problems/environment-not-found');
  });
});

describe('a failed compile', () => {
  it('changes no KV key and records the errors with file, line, column and path', async () => {
    const environment = uniqueEnvironment('broken');
    const before = await allKvKeys();
    const { status, body } = await callJson('/api/v1/deployments', {
      json: bundle(environment, { 'edgeway.yaml': brokenConfig(environment) }),
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({
      type: 'https://edgeway.dev/problems/compile-failed',
      status: 422,
      deploymentId: expect.stringMatching(/^dep_/),
    });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'edgeway.yaml',
          line: 5,
          column: 16,
          path: '$.upstreams.demo.timeoutMs',
        }),
        expect.objectContaining({ file: 'edgeway.yaml', line: 9, column: 5, path: '$.routes[0].surprise' }),
      ]),
    );
    for (const error of body.errors) {
      expect(Object.keys(error).sort()).toEqual(['column', 'file', 'line', 'message', 'path']);
    }
    expect(await allKvKeys()).toEqual(before);

    const row = await env.DB.prepare(
      'SELECT status, failure_reason, errors, finished_at FROM deployments WHERE id = ?',
    )
      .bind(body.deploymentId)
      .first<{ errors: string }>();
    expect(row).toMatchObject({
      status: 'failed',
      failure_reason: 'compile-failed',
      finished_at: expect.any(String),
    });
    expect(JSON.parse(row!.errors)).toEqual(body.errors);
    const { body: shown } = await callJson(`/api/v1/deployments/${body.deploymentId}`);
    expect(shown).toMatchObject({
      status: 'failed',
      failure: { reason: 'compile-failed' },
      errors: body.errors,
    });
    const audit = await env.DB.prepare('SELECT details FROM audit_log WHERE target = ?')
      .bind(body.deploymentId)
      .first('details');
    expect(JSON.parse(String(audit))).toMatchObject({ outcome: 'compile-failed' });
  });

  it('leaves a live environment serving what it served', async () => {
    const environment = uniqueEnvironment('keeps');
    const live = await deployLive(environment);
    const pointer = await env.CONFIG.get(`environment/${environment}/live`);
    const before = await allKvKeys();
    const { status } = await callJson('/api/v1/deployments', {
      json: bundle(environment, { 'edgeway.yaml': brokenConfig(environment) }),
    });
    expect(status).toBe(422);
    expect(await allKvKeys()).toEqual(before);
    expect(await env.CONFIG.get(`environment/${environment}/live`)).toBe(pointer);
    expect(await statusOf(live.id)).toBe('live');
  });
});

describe('a KV write failing mid-deploy', () => {
  it('keeps the blob, leaves the pointer alone, fails the deployment and releases the lease', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const environment = uniqueEnvironment('kvfail');
    const live = await deployLive(environment, { tag: 'before' });
    const pointerBefore = await readPointer(environment);
    const kv = recordingKv((key) => key.endsWith('/live'));

    const response = await deployRequest(environment, {
      tag: 'after',
      handler: appWith({ configKv: kv.wrap }),
    });
    logged.mockRestore();
    expect(response.status).toBe(503);
    const body = await response.json<{ type: string; deploymentId: string }>();
    expect(body.type).toBe('https://edgeway.dev/problems/storage-error');
    expect(kv.writes.slice(0, 2)).toEqual([
      `put deployment/${body.deploymentId}`,
      `put environment/${environment}/live`,
    ]);

    expect(await blobIsWhole(body.deploymentId)).toBe(true);
    expect((await readPointer(environment))?.deploymentId).toBe(pointerBefore?.deploymentId);
    expect(await statusOf(body.deploymentId)).toBe('failed');
    expect(await statusOf(live.id)).toBe('live');
    expect(await leaseHolder(environment)).toBeNull();
    // The next deploy does not wait for a lease nobody holds.
    const next = await deployLive(environment, { tag: 'next' });
    expect(await statusOf(live.id)).toBe('superseded');
    expect((await readPointer(environment))?.deploymentId).toBe(next.id);
  });

  it('puts the keys back when a host key fails after the pointer flipped', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const environment = uniqueEnvironment('hostfail');
    const kv = recordingKv((key) => key === 'host/two.hostfail.test');
    const response = await deployRequest(environment, {
      hosts: ['one.hostfail.test', 'two.hostfail.test'],
      handler: appWith({ configKv: kv.wrap }),
    });
    logged.mockRestore();
    expect(response.status).toBe(503);
    const { deploymentId } = await response.json<{ deploymentId: string }>();

    // The pointer was written, so the blob stays; the restore removed the pointer and hosts again.
    expect(await blobIsWhole(deploymentId)).toBe(true);
    expect(await readPointer(environment)).toBeNull();
    expect(await env.CONFIG.get('host/one.hostfail.test')).toBeNull();
    const claims = await env.DB.prepare('SELECT host FROM environment_hosts WHERE environment = ?')
      .bind(environment)
      .all();
    expect(claims.results).toEqual([]);
    expect(await statusOf(deploymentId)).toBe('failed');
    expect(await leaseHolder(environment)).toBeNull();
  });
});

describe('the environment lease', () => {
  it('gives up with 409 deploy-in-progress when another deploy holds it, deleting the unused blob', async () => {
    const environment = uniqueEnvironment('busy');
    const live = await deployLive(environment);
    await holdLease(environment, 'someone-else', Date.now() + 60_000);
    const before = await allKvKeys();

    const response = await deployRequest(environment, {
      tag: 'blocked',
      handler: appWith({ leaseWaitMs: 100 }),
    });
    expect(response.status).toBe(409);
    const body = await response.json<{ type: string; deploymentId: string }>();
    expect(body.type).toBe('https://edgeway.dev/problems/deploy-in-progress');
    expect(await statusOf(body.deploymentId)).toBe('failed');
    expect(await allKvKeys()).toEqual(before);
    expect((await readPointer(environment))?.deploymentId).toBe(live.id);
    expect(await leaseHolder(environment)).toBe('someone-else');
  });

  it('takes over a lease whose holder let it expire', async () => {
    const environment = uniqueEnvironment('expired');
    await deployLive(environment);
    await holdLease(environment, 'crashed', Date.now() - 1);
    const next = await deployLive(environment, { tag: 'after-crash' });
    expect((await readPointer(environment))?.deploymentId).toBe(next.id);
    expect(await leaseHolder(environment)).toBeNull();
  });
});
