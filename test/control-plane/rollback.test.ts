/** Rollback: back to a blob that still exists, and only to a deployment that was live before. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  allKvKeys,
  bundle,
  callJson,
  deployLive,
  leaseHolder,
  readPointer,
  statusOf,
  uniqueEnvironment,
} from './support.ts';

function rollback(environment: string, deploymentId: string) {
  return callJson(`/api/v1/environments/${environment}/rollback`, { json: { deploymentId } });
}

async function expectRejected(environment: string, deploymentId: string, status: number, slug: string) {
  const before = await allKvKeys();
  const pointer = await readPointer(environment);
  const response = await rollback(environment, deploymentId);
  expect(response.status).toBe(status);
  expect(response.body.type).toBe(`https://edgeway.dev/problems/${slug}`);
  expect(await allKvKeys()).toEqual(before);
  expect(await readPointer(environment)).toEqual(pointer);
}

describe('rollback', () => {
  it('points the environment back at the old blob and updates every status', async () => {
    const environment = uniqueEnvironment('rb');
    const a = await deployLive(environment, { tag: 'a' });
    const b = await deployLive(environment, { tag: 'b' });
    const c = await deployLive(environment, { tag: 'c' });

    const { status, body } = await rollback(environment, a.id);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      name: environment,
      liveDeploymentId: a.id,
      liveDeployment: { id: a.id, status: 'live' },
    });
    expect((await readPointer(environment))?.deploymentId).toBe(a.id);
    expect([await statusOf(a.id), await statusOf(b.id), await statusOf(c.id)]).toEqual([
      'live',
      'superseded',
      'rolled_back',
    ]);
    const audit = await env.DB.prepare(
      "SELECT actor, details FROM audit_log WHERE action = 'environment.rollback' AND target = ?",
    )
      .bind(environment)
      .all();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]?.actor).toBe('admin');
    expect(JSON.parse(String(audit.results[0]?.details))).toEqual({
      deploymentId: a.id,
      before: { liveDeploymentId: c.id, hosts: [`${environment}.localhost`] },
      after: { liveDeploymentId: a.id, hosts: [`${environment}.localhost`] },
    });

    // A rolled-back deployment was live before, so it can be rolled forward to.
    expect((await rollback(environment, c.id)).status).toBe(200);
    expect([await statusOf(a.id), await statusOf(c.id)]).toEqual(['rolled_back', 'live']);
    expect((await readPointer(environment))?.deploymentId).toBe(c.id);

    // The next deploy supersedes whatever is live.
    const d = await deployLive(environment, { tag: 'd' });
    expect(await statusOf(c.id)).toBe('superseded');
    expect((await readPointer(environment))?.deploymentId).toBe(d.id);
  });

  it('syncs host keys to the target config', async () => {
    const environment = uniqueEnvironment('rbhosts');
    const old = await deployLive(environment, { hosts: [`old.${environment}.test`] });
    await deployLive(environment, { hosts: [`new.${environment}.test`] });
    expect((await rollback(environment, old.id)).status).toBe(200);
    expect(await env.CONFIG.get(`host/old.${environment}.test`)).toBe(JSON.stringify({ environment }));
    expect(await env.CONFIG.get(`host/new.${environment}.test`)).toBeNull();
  });

  it('rejects a deployment that was never live, is live, or belongs elsewhere', async () => {
    const environment = uniqueEnvironment('rbbad');
    const other = await deployLive(uniqueEnvironment('rbother'));
    const live = await deployLive(environment);
    const failed = await callJson('/api/v1/deployments', {
      json: bundle(environment, { 'edgeway.yaml': 'version: 2\n' }),
    });
    expect(failed.status).toBe(422);

    await expectRejected(environment, failed.body.deploymentId, 409, 'rollback-never-live');
    await expectRejected(environment, live.id, 409, 'rollback-already-live');
    await expectRejected(environment, other.id, 409, 'rollback-wrong-environment');
    await expectRejected(environment, 'dep_00000000000000000000000000', 404, 'deployment-not-found');
    expect(await statusOf(live.id)).toBe('live');
  });

  it('rejects a deployment whose blob is gone or damaged', async () => {
    const environment = uniqueEnvironment('rbblob');
    const gone = await deployLive(environment, { tag: 'gone' });
    const damaged = await deployLive(environment, { tag: 'damaged' });
    await deployLive(environment, { tag: 'live' });
    await env.CONFIG.delete(`deployment/${gone.id}`);
    const blob = JSON.parse((await env.CONFIG.get(`deployment/${damaged.id}`))!);
    blob.config.routes = [];
    await env.CONFIG.put(`deployment/${damaged.id}`, JSON.stringify(blob));

    await expectRejected(environment, gone.id, 409, 'rollback-blob-unavailable');
    await expectRejected(environment, damaged.id, 409, 'rollback-blob-unavailable');
  });

  it('rejects a target whose hosts another environment claimed since', async () => {
    const environment = uniqueEnvironment('rbconflict');
    const host = `taken.${environment}.test`;
    const old = await deployLive(environment, { hosts: [host] });
    const current = await deployLive(environment);
    const thief = uniqueEnvironment('thief');
    await deployLive(thief, { hosts: [host] });

    await expectRejected(environment, old.id, 409, 'host-conflict');
    expect(await statusOf(current.id)).toBe('live');
    expect(await env.CONFIG.get(`host/${host}`)).toBe(JSON.stringify({ environment: thief }));
    expect(await leaseHolder(environment)).toBeNull();
  });
});
