/**
 * GitHub push webhooks that do not deploy: refused with 401 (signature), 409 (stale or
 * replayed) or 404 (unregistered repository), deploying nothing; and answered with a
 * problem that releases the delivery when a redelivery may succeed.
 */
import { describe, expect, it } from 'vitest';
import { problemType } from '../../src/config/problem.ts';
import { appWith, holdLease } from './support.ts';
import {
  deliver,
  deployedTag,
  deploymentCount,
  fake,
  githubDelivery,
  githubPush,
  githubSignature,
  pushToGithub,
  registeredGithubRepository,
} from './webhooks-support.ts';

describe('refused GitHub deliveries deploy nothing', () => {
  it('answers 401 to a wrong or missing signature, and the delivery id stays unclaimed', async () => {
    const repository = await registeredGithubRepository();
    const before = await deploymentCount();
    const delivery = await githubDelivery(githubPush(repository));
    const wrong = await githubSignature(delivery.body, 'not-the-registered-secret');
    for (const signature of [wrong, wrong.replace('sha256=', 'sha1='), 'sha256=zz']) {
      const headers = { ...delivery.headers, 'x-hub-signature-256': signature };
      expect(await deliver('github', { ...delivery, headers })).toMatchObject({
        status: 401,
        type: 'application/problem+json',
        body: { type: problemType('webhook-signature-invalid'), status: 401 },
      });
    }
    const { 'x-hub-signature-256': _, ...unsigned } = delivery.headers;
    expect(await deliver('github', { ...delivery, headers: unsigned })).toMatchObject({
      status: 401,
      body: { type: problemType('webhook-signature-missing') },
    });
    // A body changed after signing does not verify either.
    const tampered = { ...delivery, body: delivery.body.replace('Ship the gateway', 'Ship something else') };
    expect((await deliver('github', tampered)).status).toBe(401);
    expect(await deploymentCount()).toBe(before);

    // Refused deliveries claimed nothing: the genuine one with the same id still deploys.
    expect((await deliver('github', delivery)).status).toBe(202);
  });

  it('answers 409 to a push outside the replay window, before or after now', async () => {
    const repository = await registeredGithubRepository();
    const before = await deploymentCount();
    const now = Math.floor(Date.now() / 1000);
    for (const pushedAt of [now - 10 * 60, now + 10 * 60]) {
      const { status, body } = await pushToGithub(repository, { pushedAt });
      expect(status).toBe(409);
      expect(body.type).toBe(problemType('webhook-stale'));
    }
    expect(await deploymentCount()).toBe(before);
  });

  it('answers 409 to a delivery id seen before, and to a signed payload seen before under a new id', async () => {
    const repository = await registeredGithubRepository();
    const push = githubPush(repository, { ref: 'refs/heads/replay', after: fake.commits.feature });
    const delivery = await githubDelivery(push);
    expect((await deliver('github', delivery)).status).toBe(202);
    const before = await deploymentCount();
    const renamed = {
      ...delivery,
      headers: { ...delivery.headers, 'x-github-delivery': crypto.randomUUID() },
    };
    for (const replay of [delivery, renamed]) {
      expect(await deliver('github', replay)).toMatchObject({
        status: 409,
        type: 'application/problem+json',
        body: { type: problemType('webhook-replayed') },
      });
    }
    expect(await deploymentCount()).toBe(before);
  });

  it('answers 404 to a push to a repository that is not registered', async () => {
    const before = await deploymentCount();
    const { status, body } = await pushToGithub('acme/unregistered');
    expect(status).toBe(404);
    expect(body).toMatchObject({ type: problemType('repository-not-registered'), status: 404 });
    expect(await deploymentCount()).toBe(before);
  });

  it('answers 409 when the environment stays busy, and releases the delivery for a redelivery', async () => {
    const repository = await registeredGithubRepository();
    const ref = 'refs/heads/busy';
    expect((await pushToGithub(repository, { ref, after: fake.commits.feature })).status).toBe(202);
    await holdLease('busy', 'another-deploy', Date.now() + 60_000);
    const delivery = await githubDelivery(githubPush(repository, { ref }));
    expect(await deliver('github', delivery, appWith({ leaseWaitMs: 20 }))).toMatchObject({
      status: 409,
      body: {
        type: problemType('deploy-in-progress'),
        environment: 'busy',
        deploymentId: expect.any(String),
      },
    });
    await holdLease('busy', 'another-deploy', Date.now() - 1);
    const redelivered = await deliver('github', delivery);
    expect(redelivered).toMatchObject({ status: 202, body: { outcome: 'deployed', environment: 'busy' } });
    expect(await deployedTag(redelivered.body.deploymentId)).toBe('main');
  });

  it('answers 503 when the named token secret is not set, and releases the delivery for a redelivery', async () => {
    const repository = await registeredGithubRepository({ apiTokenSecretName: 'NOT_SET_TOKEN' });
    const before = await deploymentCount();
    const delivery = await githubDelivery(githubPush(repository));
    for (let attempt = 0; attempt < 2; attempt++) {
      const { status, body } = await deliver('github', delivery);
      expect(status).toBe(503);
      expect(body).toMatchObject({ type: problemType('provider-token-missing'), repository });
    }
    expect(await deploymentCount()).toBe(before);
  });
});
