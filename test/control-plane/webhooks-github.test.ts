/**
 * GitHub push webhooks against the fake provider: a signed push deploys the files of the
 * pushed commit's archive, records a config that does not compile as a failed deployment,
 * and a pushed zero commit deletes the branch's preview environment. Refusals are in
 * webhooks-github-refusals.test.ts.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { problemType } from '../../src/config/problem.ts';
import { callJson, readPointer } from './support.ts';
import {
  deliver,
  deployedTag,
  deploymentCount,
  fake,
  GITHUB_SECRET,
  githubDelivery,
  githubPush,
  pushToGithub,
  register,
  registeredGithubRepository,
  uniqueRepository,
  ZERO_SHA,
} from './webhooks-support.ts';

describe('a signed GitHub push', () => {
  it('deploys the files at the pushed commit to the branch environment, recording where it came from', async () => {
    const repository = uniqueRepository();
    const registration = await register('github', repository, GITHUB_SECRET);
    const delivery = await githubDelivery(githubPush(repository));
    const { status, body } = await deliver('github', delivery);

    expect(status).toBe(202);
    expect(body).toEqual({
      delivery: delivery.headers['x-github-delivery'],
      repository,
      outcome: 'deployed',
      branch: 'main',
      environment: 'production',
      url: expect.any(String),
      deploymentId: expect.stringMatching(/^dep_/),
    });
    const deployment = (await callJson(`/api/v1/deployments/${body.deploymentId}`)).body;
    expect(deployment).toMatchObject({
      status: 'live',
      environment: 'production',
      commit: fake.commits.main,
      branch: 'main',
      author: 'Ada Lovelace <ada@example.com>',
      message: 'Ship the gateway',
      trigger: 'github',
      createdBy: `webhook:${registration.id}`,
    });
    // The compiled config is the edgeway.yaml of that commit, as the archive holds it.
    expect(await deployedTag(body.deploymentId)).toBe('main');
    expect((await readPointer('production'))?.deploymentId).toBe(body.deploymentId);
    const audit = await env.DB.prepare('SELECT actor, action FROM audit_log WHERE target = ?')
      .bind(body.deploymentId)
      .first();
    expect(audit).toEqual({ actor: `webhook:${registration.id}`, action: 'deployment.create' });
  });

  it('deploys another branch to its preview environment', async () => {
    const repository = await registeredGithubRepository();
    const { status, body } = await pushToGithub(repository, {
      ref: 'refs/heads/feature/login',
      after: fake.commits.feature,
    });
    expect(status).toBe(202);
    expect(body).toMatchObject({
      outcome: 'deployed',
      branch: 'feature/login',
      environment: 'feature-login',
    });
    expect(await deployedTag(body.deploymentId)).toBe('feature');
    expect((await readPointer('feature-login'))?.deploymentId).toBe(body.deploymentId);
  });

  it('records a config that does not compile as a failed deployment, and answers 202 with its errors', async () => {
    const repository = await registeredGithubRepository();
    const { status, body } = await pushToGithub(repository, {
      ref: 'refs/heads/broken',
      after: fake.commits.broken,
    });
    expect(status).toBe(202);
    expect(body).toMatchObject({
      outcome: 'deploy-failed',
      environment: 'broken',
      deploymentId: expect.stringMatching(/^dep_/),
      failure: {
        type: problemType('compile-failed'),
        errors: [expect.objectContaining({ file: 'edgeway.yaml' })],
      },
    });
    expect(await readPointer('broken')).toBeNull();
  });

  it('refuses a repository with more config files than a deployment holds, with 422', async () => {
    const repository = await registeredGithubRepository();
    const before = await deploymentCount();
    const { status, body } = await pushToGithub(repository, {
      ref: 'refs/heads/crowded',
      after: fake.commits.crowded,
    });
    expect(status).toBe(422);
    expect(body.type).toBe(problemType('archive-too-large'));
    expect(await deploymentCount()).toBe(before);
  });

  it('ignores tags, events other than push, and the deletion of the production branch', async () => {
    const repository = await registeredGithubRepository();
    const before = await deploymentCount();
    expect(await pushToGithub(repository, { ref: 'refs/tags/v1' })).toMatchObject({
      status: 202,
      body: { outcome: 'ignored', reason: 'not-a-branch' },
    });
    const ping = await githubDelivery({
      zen: 'Keep it logically awesome.',
      repository: { full_name: repository },
    });
    expect(
      await deliver('github', { ...ping, headers: { ...ping.headers, 'x-github-event': 'ping' } }),
    ).toMatchObject({
      status: 202,
      body: { outcome: 'ignored', reason: 'not-a-push', event: 'ping' },
    });
    expect(await pushToGithub(repository, { after: ZERO_SHA })).toMatchObject({
      status: 202,
      body: { outcome: 'ignored', reason: 'production-branch-deleted', environment: 'production' },
    });
    expect(await deploymentCount()).toBe(before);
  });
});

describe('a pushed zero commit', () => {
  it("deletes the branch's preview environment", async () => {
    const repository = await registeredGithubRepository();
    const ref = 'refs/heads/short-lived';
    const deployed = await pushToGithub(repository, { ref, after: fake.commits.feature });
    expect(deployed.body).toMatchObject({ outcome: 'deployed', environment: 'short-lived' });
    expect(await readPointer('short-lived')).not.toBeNull();

    const { status, body } = await pushToGithub(repository, { ref, after: ZERO_SHA });
    expect(status).toBe(202);
    expect(body).toMatchObject({
      outcome: 'environment-deleted',
      branch: 'short-lived',
      environment: 'short-lived',
    });
    expect(await readPointer('short-lived')).toBeNull();
    expect((await callJson('/api/v1/environments/short-lived')).status).toBe(404);
  });
});
