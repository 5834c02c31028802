/**
 * Gitea and Forgejo push webhooks against the fake provider: a push signed with either
 * header family deploys the files of the pushed commit's archive; a wrong signature (401)
 * and a replayed delivery (409) deploy nothing; a registration must name its API.
 */
import { describe, expect, it } from 'vitest';
import { problemType } from '../../src/config/problem.ts';
import { callJson } from './support.ts';
import {
  deliver,
  deployedTag,
  deploymentCount,
  expectFeaturePreviewLive,
  fake,
  GITEA_SECRET,
  giteaDelivery,
  giteaPush,
  register,
  uniqueRepository,
} from './webhooks-support.ts';

describe('a signed Gitea push', () => {
  it('deploys the files at the pushed commit, recording where it came from', async () => {
    const repository = uniqueRepository();
    const registration = await register('gitea', repository, GITEA_SECRET);
    expect(registration.webhookUrl).toMatch(/\/api\/v1\/webhooks\/gitea$/);
    const delivery = await giteaDelivery(
      giteaPush(repository, { ref: 'refs/heads/feature/login', after: fake.commits.feature }),
    );
    const { status, body } = await deliver('gitea', delivery);

    expect(status, JSON.stringify(body)).toBe(202);
    expect(body).toMatchObject({
      delivery: delivery.headers['x-gitea-delivery'],
      repository,
      outcome: 'deployed',
      branch: 'feature/login',
      environment: 'feature-login',
    });
    await expectFeaturePreviewLive(body.deploymentId, {
      author: 'Ada Lovelace <ada@example.com>',
      message: 'Ship the gateway',
      trigger: 'gitea',
      registrationId: registration.id,
    });
  });

  it("accepts Forgejo's header names", async () => {
    const repository = uniqueRepository();
    await register('gitea', repository, GITEA_SECRET);
    const delivery = await giteaDelivery(giteaPush(repository), { family: 'forgejo' });
    const { status, body } = await deliver('gitea', delivery);
    expect(status, JSON.stringify(body)).toBe(202);
    expect(body).toMatchObject({
      delivery: delivery.headers['x-forgejo-delivery'],
      outcome: 'deployed',
      environment: 'production',
    });
    expect(await deployedTag(body.deploymentId)).toBe('main');
  });
});

describe('a Gitea delivery that is refused', () => {
  it('answers 401 to a signature under another secret, and 401 to none', async () => {
    const repository = uniqueRepository();
    await register('gitea', repository, GITEA_SECRET);
    const before = await deploymentCount();
    const forged = await giteaDelivery(giteaPush(repository), { secret: 'not-the-webhook-secret' });
    const wrong = await deliver('gitea', forged);
    expect(wrong.status).toBe(401);
    expect(wrong.type).toMatch(/^application\/problem\+json/);
    expect(wrong.body.type).toBe(problemType('webhook-signature-invalid'));

    const unsigned = await giteaDelivery(giteaPush(repository));
    const { 'x-gitea-signature': _, ...headers } = unsigned.headers;
    const missing = await deliver('gitea', { ...unsigned, headers });
    expect(missing.status).toBe(401);
    expect(missing.body.type).toBe(problemType('webhook-signature-missing'));
    expect(await deploymentCount()).toBe(before);
  });

  it('answers 409 to a replayed delivery, under its own id or a new one', async () => {
    const repository = uniqueRepository();
    await register('gitea', repository, GITEA_SECRET);
    const delivery = await giteaDelivery(giteaPush(repository));
    expect((await deliver('gitea', delivery)).body).toMatchObject({ outcome: 'deployed' });
    const before = await deploymentCount();

    const replayed = await deliver('gitea', delivery);
    expect(replayed.status).toBe(409);
    expect(replayed.body.type).toBe(problemType('webhook-replayed'));
    const renamed = {
      ...delivery,
      headers: { ...delivery.headers, 'x-gitea-delivery': crypto.randomUUID() },
    };
    expect((await deliver('gitea', renamed)).status).toBe(409);
    expect(await deploymentCount()).toBe(before);
  });
});

describe('registering a Gitea repository', () => {
  it('requires an API base URL, there being no public default', async () => {
    const json = {
      provider: 'gitea',
      repository: uniqueRepository(),
      webhookSecret: GITEA_SECRET,
      apiTokenSecretName: fake.tokenSecretName,
    };
    const { status, body } = await callJson('/api/v1/repositories', { json });
    expect(status).toBe(400);
    expect(body.errors.map((error: { path: string }) => error.path)).toEqual(['/apiBaseUrl']);
  });
});
