/**
 * Deleting an environment: its pointer and host keys go, its claims are released, its
 * live deployment is superseded and it is no longer listed; production is protected, the
 * lease serialises it with deploys, a failed KV delete changes nothing, and a later
 * deploy (or rollback) brings the name back cleanly.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import {
  allKvKeys,
  appWith,
  blobIsWhole,
  call,
  callJson,
  claims,
  deployLive,
  holdLease,
  hostRecord,
  leaseHolder,
  readPointer,
  recordingKv,
  statusOf,
  uniqueEnvironment,
} from './support.ts';

function deleteEnvironment(environment: string, options: Parameters<typeof callJson>[1] = {}) {
  return callJson(`/api/v1/environments/${environment}`, { ...options, method: 'DELETE' });
}

async function listedNames(): Promise<string[]> {
  const { body } = await callJson('/api/v1/environments');
  return body.environments.map((environment: { name: string }) => environment.name);
}

async function expectRefused(environment: string, status: number, slug: string, options = {}) {
  const before = await allKvKeys();
  const response = await deleteEnvironment(environment, options);
  expect(response.status).toBe(status);
  expect(response.body.type).toBe(`https://edgeway.dev/problems/${slug}`);
  expect(await allKvKeys()).toEqual(before);
}

describe('DELETE /api/v1/environments/:name', () => {
  it('removes the pointer, every host key and claim, supersedes the live deployment and unlists it', async () => {
    const environment = uniqueEnvironment('gone');
    const host = `api.${environment}.test`;
    const live = await deployLive(environment, { hosts: [host] });
    expect(await hostRecord(`${environment}.localhost`)).toEqual({ environment });

    const response = await call(`/api/v1/environments/${environment}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');

    expect(await readPointer(environment)).toBeNull();
    expect(await hostRecord(host)).toBeNull();
    expect(await hostRecord(`${environment}.localhost`)).toBeNull();
    expect(await claims(environment)).toEqual([]);
    expect(await statusOf(live.id)).toBe('superseded');
    expect(await blobIsWhole(live.id)).toBe(true);
    expect(await listedNames()).not.toContain(environment);
    const shown = await callJson(`/api/v1/environments/${environment}`);
    expect(shown.status).toBe(404);
    expect(shown.body.type).toBe('https://edgeway.dev/problems/environment-not-found');

    const row = await env.DB.prepare(
      'SELECT live_deployment_id, lease_holder, deleted_at FROM environments WHERE name = ?',
    )
      .bind(environment)
      .first();
    expect(row).toEqual({ live_deployment_id: null, lease_holder: null, deleted_at: expect.any(String) });
    const audit = await env.DB.prepare(
      "SELECT actor, details FROM audit_log WHERE action = 'environment.delete' AND target = ?",
    )
      .bind(environment)
      .all();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]?.actor).toBe('admin');
    expect(JSON.parse(String(audit.results[0]?.details))).toEqual({
      deploymentId: live.id,
      before: {
        liveDeploymentId: live.id,
        hosts: expect.arrayContaining([host, `${environment}.localhost`]),
      },
      after: null,
    });
  });

  it('refuses production with 409 environment-protected', async () => {
    await deployLive('production');
    await expectRefused('production', 409, 'environment-protected');
    expect(await readPointer('production')).not.toBeNull();
    expect(await listedNames()).toContain('production');
  });

  it('answers 404 for an unknown name and for one already deleted', async () => {
    await expectRefused('never-deployed', 404, 'environment-not-found');
    expect(
      await env.DB.prepare("SELECT 1 FROM environments WHERE name = 'never-deployed'").first(),
    ).toBeNull();
    const environment = uniqueEnvironment('twice');
    await deployLive(environment);
    expect((await deleteEnvironment(environment)).status).toBe(204);
    await expectRefused(environment, 404, 'environment-not-found');
  });

  it('answers 400 for a malformed name and 403 for a viewer', async () => {
    expect((await deleteEnvironment('Not_A_Name')).status).toBe(400);
    const environment = uniqueEnvironment('guarded');
    await deployLive(environment);
    const { body: created } = await callJson('/api/v1/tokens', { json: { name: 'v', role: 'viewer' } });
    await expectRefused(environment, 403, 'forbidden', { token: created.token });
    expect(await listedNames()).toContain(environment);
  });

  it('answers 409 deploy-in-progress while another deploy holds the lease, changing nothing', async () => {
    const environment = uniqueEnvironment('leased');
    const live = await deployLive(environment);
    await holdLease(environment, 'someone-else', Date.now() + 60_000);

    await expectRefused(environment, 409, 'deploy-in-progress', { handler: appWith({ leaseWaitMs: 100 }) });
    expect(await statusOf(live.id)).toBe('live');
    expect(await listedNames()).toContain(environment);
    expect(await leaseHolder(environment)).toBe('someone-else');
  });

  it('puts the keys back and answers 503 when a KV delete fails', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const environment = uniqueEnvironment('stuck');
    const live = await deployLive(environment);
    const kv = recordingKv(undefined, (key) => key === `host/${environment}.localhost`);

    const response = await deleteEnvironment(environment, { handler: appWith({ configKv: kv.wrap }) });
    logged.mockRestore();
    expect(response.status).toBe(503);
    expect(response.body.type).toBe('https://edgeway.dev/problems/storage-error');
    expect((await readPointer(environment))?.deploymentId).toBe(live.id);
    expect(await hostRecord(`${environment}.localhost`)).toEqual({ environment });
    expect(await claims(environment)).toEqual([`${environment}.localhost`]);
    expect(await statusOf(live.id)).toBe('live');
    expect(await listedNames()).toContain(environment);
    // The lease was released: deleting again succeeds at once.
    expect((await deleteEnvironment(environment)).status).toBe(204);
  });
});

describe('an environment deleted earlier', () => {
  it('comes back cleanly with the next deploy to its name', async () => {
    const environment = uniqueEnvironment('again');
    const old = await deployLive(environment, { tag: 'old', hosts: [`old.${environment}.test`] });
    expect((await deleteEnvironment(environment)).status).toBe(204);

    const next = await deployLive(environment, { tag: 'new' });
    expect((await readPointer(environment))?.deploymentId).toBe(next.id);
    expect(await claims(environment)).toEqual([`${environment}.localhost`]);
    expect(await hostRecord(`${environment}.localhost`)).toEqual({ environment });
    expect(await hostRecord(`old.${environment}.test`)).toBeNull();
    expect(await statusOf(old.id)).toBe('superseded');
    const { status, body } = await callJson(`/api/v1/environments/${environment}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ liveDeploymentId: next.id, liveDeployment: { status: 'live' } });
    expect(await listedNames()).toContain(environment);
  });

  it('comes back serving an old deployment when rolled back to it', async () => {
    const environment = uniqueEnvironment('revived');
    const old = await deployLive(environment);
    expect((await deleteEnvironment(environment)).status).toBe(204);

    const { status, body } = await callJson(`/api/v1/environments/${environment}/rollback`, {
      json: { deploymentId: old.id },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      name: environment,
      liveDeploymentId: old.id,
      hosts: [`${environment}.localhost`],
    });
    expect((await readPointer(environment))?.deploymentId).toBe(old.id);
    expect(await statusOf(old.id)).toBe('live');
  });
});
