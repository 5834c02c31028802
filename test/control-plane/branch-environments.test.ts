/**
 * Environments per branch: a deployment without an environment goes to its branch's
 * (production for the production branch, a preview for any other), records what
 * triggered it, and every view carries its environment's URL. A preview claims its URL's
 * host, so the data plane maps that host to it.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { environmentForBranch } from '../../src/config/branches.ts';
import { bundle, callJson, claims, configYaml, deployLive, hostRecord, readPointer } from './support.ts';

/** Deploys `branch` without naming an environment; the config declares `environment`'s vars. */
function deployBranch(branch: string, environment: string, extra: Record<string, unknown> = {}) {
  const json = {
    ...bundle(environment, { 'edgeway.yaml': configYaml(environment) }),
    environment: undefined,
    branch,
    ...extra,
  };
  return callJson('/api/v1/deployments', { json });
}

describe('the environment of a branch', () => {
  it('is production for the production branch, served at PRODUCTION_URL with no preview host', async () => {
    const { status, body } = await deployBranch('main', 'production');
    expect(status).toBe(201);
    expect(body).toMatchObject({
      environment: 'production',
      branch: 'main',
      status: 'live',
      url: 'http://localhost:8787',
    });
    expect((await readPointer('production'))?.deploymentId).toBe(body.id);
    expect(await claims('production')).toEqual([]);
    const { body: production } = await callJson('/api/v1/environments/production');
    expect(production).toMatchObject({ name: 'production', hosts: [], url: 'http://localhost:8787' });
  });

  it('is a preview named after the slug of any other branch, claiming its URL host', async () => {
    const { status, body } = await deployBranch('feature/Login_v2', 'feature-login-v2');
    expect(status).toBe(201);
    const url = 'http://feature-login-v2.localhost:8787';
    expect(body).toMatchObject({ environment: 'feature-login-v2', branch: 'feature/Login_v2', url });
    expect(await hostRecord('feature-login-v2.localhost')).toEqual({ environment: 'feature-login-v2' });
    expect(await claims('feature-login-v2')).toEqual(['feature-login-v2.localhost']);

    const { body: listed } = await callJson('/api/v1/environments');
    expect(listed.environments).toContainEqual({
      name: 'feature-login-v2',
      liveDeploymentId: body.id,
      hosts: ['feature-login-v2.localhost'],
      updatedAt: expect.any(String),
      url,
    });
    const { body: shown } = await callJson('/api/v1/environments/feature-login-v2');
    expect(shown).toMatchObject({ url, liveDeployment: { id: body.id, url } });
  });

  it('keeps the config hosts of a preview beside its URL host', async () => {
    const environment = 'hosted-preview';
    const json = bundle(environment, {
      'edgeway.yaml': configYaml(environment, { hosts: ['api.hosted.test'] }),
    });
    const { status } = await callJson('/api/v1/deployments', { json });
    expect(status).toBe(201);
    expect(await claims(environment)).toEqual(['api.hosted.test', 'hosted-preview.localhost']);
    expect(await hostRecord('api.hosted.test')).toEqual({ environment });
    expect(await hostRecord('hosted-preview.localhost')).toEqual({ environment });
  });

  it('is a preview, not production, for a branch literally named "production"', async () => {
    const production = await readPointer('production');
    const environment = environmentForBranch('production', 'main');
    expect(environment).toMatch(/^production-[0-9a-f]{6}$/);

    const { status, body } = await deployBranch('production', environment);
    expect(status).toBe(201);
    expect(body).toMatchObject({ environment, url: `http://${environment}.localhost:8787` });
    expect(await readPointer('production')).toEqual(production);
    expect(await hostRecord(`${environment}.localhost`)).toEqual({ environment });
  });

  it('is the one named in the bundle when there is one', async () => {
    const environment = 'named-explicitly';
    const body = await deployLive(environment);
    expect(body).toMatchObject({ environment, branch: 'main', url: `http://${environment}.localhost:8787` });
  });
});

describe('the trigger of a deployment', () => {
  it('is recorded next to who made it and shown in every view', async () => {
    const { status, body } = await deployBranch('cli-branch', 'cli-branch', { trigger: 'cli' });
    expect(status).toBe(201);
    expect(body).toMatchObject({ trigger: 'cli', createdBy: 'admin' });
    const row = await env.DB.prepare('SELECT trigger, created_by FROM deployments WHERE id = ?')
      .bind(body.id)
      .first();
    expect(row).toEqual({ trigger: 'cli', created_by: 'admin' });
    expect((await callJson(`/api/v1/deployments/${body.id}`)).body.trigger).toBe('cli');
    const { body: listed } = await callJson('/api/v1/deployments?environment=cli-branch');
    expect(listed.deployments).toMatchObject([{ id: body.id, trigger: 'cli' }]);
  });

  it('is recorded for a failed deployment too', async () => {
    const { status, body } = await callJson('/api/v1/deployments', {
      json: { ...bundle('hook', { 'edgeway.yaml': 'version: 2\n' }), trigger: 'git-push' },
    });
    expect(status).toBe(422);
    const { body: shown } = await callJson(`/api/v1/deployments/${body.deploymentId}`);
    expect(shown).toMatchObject({ status: 'failed', trigger: 'git-push', url: 'http://hook.localhost:8787' });
  });

  it('is one the API accepts: provider webhooks deploy without it', async () => {
    const { status, body } = await deployBranch('spoof', 'spoof', { trigger: 'github' });
    expect(status).toBe(400);
    expect(body.errors).toEqual([{ in: 'json', path: '/trigger', message: expect.any(String) }]);
  });
});
