/**
 * GitLab push webhooks against the fake provider, with a signing token (signed body,
 * signed timestamp) and with a plain secret token; refusals (401, 404, 409) deploy nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  deliver,
  deployedTag,
  deploymentCount,
  expectFeaturePreviewLive,
  fake,
  GITLAB_SIGNING_TOKEN,
  GITLAB_TOKEN,
  gitlabPush,
  gitlabSignature,
  gitlabSignedDelivery,
  gitlabTokenDelivery,
  register,
  uniqueRepository,
} from './webhooks-support.ts';

const now = () => Math.floor(Date.now() / 1000);

describe('a GitLab push signed with a signing token', () => {
  it('deploys the files at the pushed commit of a nested project', async () => {
    const project = uniqueRepository('platform/apis');
    const registration = await register('gitlab', project, GITLAB_SIGNING_TOKEN);
    const push = gitlabPush(project, { ref: 'refs/heads/feature/login', after: fake.commits.feature });
    const delivery = await gitlabSignedDelivery(push);
    const { status, body } = await deliver('gitlab', delivery);

    expect(status).toBe(202);
    expect(body).toMatchObject({
      delivery: delivery.headers['webhook-id'],
      repository: project,
      outcome: 'deployed',
      branch: 'feature/login',
      environment: 'feature-login',
    });
    await expectFeaturePreviewLive(body.deploymentId, {
      author: 'Grace Hopper <grace@example.com>',
      message: 'Ship from GitLab',
      trigger: 'gitlab',
      registrationId: registration.id,
    });
  });

  it('accepts one good signature among several, as Standard Webhooks allows during key rotation', async () => {
    const project = uniqueRepository('rotating');
    await register('gitlab', project, GITLAB_SIGNING_TOKEN);
    const delivery = await gitlabSignedDelivery(gitlabPush(project));
    const signature = delivery.headers['webhook-signature'];
    const { status } = await deliver('gitlab', {
      ...delivery,
      headers: { ...delivery.headers, 'webhook-signature': `v1,${btoa('x'.repeat(32))} ${signature}` },
    });
    expect(status).toBe(202);
  });

  it('refuses a wrong signature, a missing one, and a secret token in its place, with 401', async () => {
    const project = uniqueRepository('signed');
    await register('gitlab', project, GITLAB_SIGNING_TOKEN);
    const before = await deploymentCount();
    const delivery = await gitlabSignedDelivery(gitlabPush(project));
    const { 'webhook-id': id, 'webhook-timestamp': timestamp } = delivery.headers;
    const otherKey = `whsec_${btoa('fedcba9876543210fedcba9876543210')}`;
    const wrong = await gitlabSignature(id!, Number(timestamp), delivery.body, otherKey);
    const refused = await deliver('gitlab', {
      ...delivery,
      headers: { ...delivery.headers, 'webhook-signature': wrong },
    });
    expect(refused).toMatchObject({
      status: 401,
      body: { type: 'https://edgeway.dev/problems/webhook-signature-invalid' },
    });
    // The signature covers the timestamp: moving it breaks the signature.
    const moved = await deliver('gitlab', {
      ...delivery,
      headers: { ...delivery.headers, 'webhook-timestamp': String(Number(timestamp) + 1) },
    });
    expect(moved.status).toBe(401);
    // A registration with a signing token never falls back to the plain token header.
    const downgraded = gitlabTokenDelivery(gitlabPush(project), { 'x-gitlab-token': GITLAB_SIGNING_TOKEN });
    expect(await deliver('gitlab', downgraded)).toMatchObject({
      status: 401,
      body: { type: 'https://edgeway.dev/problems/webhook-signature-missing' },
    });
    expect(await deploymentCount()).toBe(before);
  });

  it('refuses a stale timestamp and a replayed webhook-id with 409', async () => {
    const project = uniqueRepository('replays');
    await register('gitlab', project, GITLAB_SIGNING_TOKEN);
    const before = await deploymentCount();
    const stale = await deliver(
      'gitlab',
      await gitlabSignedDelivery(gitlabPush(project), { timestamp: now() - 600 }),
    );
    expect(stale).toMatchObject({
      status: 409,
      body: { type: 'https://edgeway.dev/problems/webhook-stale' },
    });
    expect(await deploymentCount()).toBe(before);

    const delivery = await gitlabSignedDelivery(gitlabPush(project));
    expect((await deliver('gitlab', delivery)).status).toBe(202);
    const replayed = await deliver('gitlab', delivery);
    expect(replayed).toMatchObject({
      status: 409,
      body: { type: 'https://edgeway.dev/problems/webhook-replayed' },
    });
    expect(await deploymentCount()).toBe(before + 1);
  });
});

describe('a GitLab push with a secret token', () => {
  it('deploys when X-Gitlab-Token matches', async () => {
    const project = uniqueRepository('tokened');
    await register('gitlab', project, GITLAB_TOKEN);
    const { status, body } = await deliver('gitlab', gitlabTokenDelivery(gitlabPush(project)));
    expect(status).toBe(202);
    expect(body).toMatchObject({ outcome: 'deployed', environment: 'production' });
    expect(await deployedTag(body.deploymentId)).toBe('main');
  });

  it('refuses a wrong token with 401 and a replayed Idempotency-Key with 409', async () => {
    const project = uniqueRepository('tokened');
    await register('gitlab', project, GITLAB_TOKEN);
    const before = await deploymentCount();
    const wrong = gitlabTokenDelivery(gitlabPush(project), { 'x-gitlab-token': 'not-the-registered-token' });
    expect(await deliver('gitlab', wrong)).toMatchObject({
      status: 401,
      body: { type: 'https://edgeway.dev/problems/webhook-signature-invalid' },
    });
    expect(await deploymentCount()).toBe(before);

    const delivery = gitlabTokenDelivery(
      gitlabPush(project, { ref: 'refs/heads/twice', after: fake.commits.feature }),
    );
    expect((await deliver('gitlab', delivery)).status).toBe(202);
    expect((await deliver('gitlab', delivery)).status).toBe(409);
    expect(await deploymentCount()).toBe(before + 1);
  });
});

describe('other GitLab deliveries', () => {
  it('answers 404 to a push to a project that is not registered, deploying nothing', async () => {
    const before = await deploymentCount();
    const { status, body } = await deliver(
      'gitlab',
      await gitlabSignedDelivery(gitlabPush('group/unregistered')),
    );
    expect(status).toBe(404);
    expect(body.type).toBe('https://edgeway.dev/problems/repository-not-registered');
    expect(await deploymentCount()).toBe(before);
  });

  it('ignores tag pushes', async () => {
    const project = uniqueRepository('tags');
    await register('gitlab', project, GITLAB_SIGNING_TOKEN);
    const tagPush = { ...gitlabPush(project, { ref: 'refs/tags/v1.0.0' }), object_kind: 'tag_push' };
    const delivery = await gitlabSignedDelivery(tagPush, { headers: { 'x-gitlab-event': 'Tag Push Hook' } });
    expect(await deliver('gitlab', delivery)).toMatchObject({
      status: 202,
      body: { outcome: 'ignored', reason: 'not-a-push', event: 'Tag Push Hook' },
    });
  });
});
