/** The repository registration API: admin only, audited, secrets sealed and never shown. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../control-plane/src/app.ts';
import { call, callJson } from './support.ts';
import {
  fake,
  GITHUB_SECRET,
  GITLAB_SIGNING_TOKEN,
  pushToGithub,
  register,
  uniqueRepository,
} from './webhooks-support.ts';

const REPOSITORIES = '/api/v1/repositories';

describe('registering a repository', () => {
  it('stores the webhook secret sealed, answers without it, and audits the registration', async () => {
    const repository = uniqueRepository();
    const created = await register('github', repository, GITHUB_SECRET);
    expect(created).toEqual({
      id: expect.stringMatching(/^repo_[0-9a-z]{26}$/),
      provider: 'github',
      repository,
      apiBaseUrl: fake.githubApi,
      apiTokenSecretName: fake.tokenSecretName,
      apiTokenSecretSet: true,
      webhookUrl: 'https://control.test/api/v1/webhooks/github',
      createdBy: 'admin',
      createdAt: expect.any(String),
    });
    const row = await env.DB.prepare('SELECT * FROM repositories WHERE id = ?').bind(created.id).first();
    expect(row?.webhook_secret_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(GITHUB_SECRET);
    const audit = await env.DB.prepare('SELECT actor, action, details FROM audit_log WHERE target = ?')
      .bind(created.id)
      .first();
    expect(audit).toEqual({
      actor: 'admin',
      action: 'repository.create',
      details: JSON.stringify({
        before: null,
        after: {
          provider: 'github',
          repository,
          apiBaseUrl: fake.githubApi,
          apiTokenSecretName: 'FAKE_PROVIDER_TOKEN',
        },
      }),
    });
  });

  it('lists registrations without secrets, saying whether each token secret is set', async () => {
    const repository = uniqueRepository();
    const created = await register('gitlab', repository, GITLAB_SIGNING_TOKEN, {
      apiBaseUrl: 'https://gitlab.example.com/api/v4/',
      apiTokenSecretName: 'GITLAB_EXAMPLE_TOKEN',
    });
    const { status, body } = await callJson(REPOSITORIES);
    expect(status).toBe(200);
    const listed = body.repositories.find((each: { id: string }) => each.id === created.id);
    expect(listed).toMatchObject({
      apiBaseUrl: 'https://gitlab.example.com/api/v4',
      apiTokenSecretSet: false,
    });
    expect(JSON.stringify(body)).not.toContain(GITLAB_SIGNING_TOKEN.slice('whsec_'.length));
    expect(JSON.stringify(body)).not.toContain('v1.');
  });

  it('uses the provider default API base URL', async () => {
    const created = await register('github', uniqueRepository(), GITHUB_SECRET, { apiBaseUrl: undefined });
    expect(created.apiBaseUrl).toBe('https://api.github.com');
  });

  it('refuses a second registration of the same path, whatever its case, with 409', async () => {
    const repository = uniqueRepository('Acme');
    await register('github', repository, GITHUB_SECRET);
    const { status, body } = await callJson(REPOSITORIES, {
      json: {
        provider: 'github',
        repository: repository.toLowerCase(),
        webhookSecret: GITHUB_SECRET,
        apiTokenSecretName: 'X',
      },
    });
    expect(status).toBe(409);
    expect(body.type).toBe('https://edgeway.dev/problems/repository-already-registered');
  });

  it('validates the provider rules, the base URL and the secret name, reporting every issue', async () => {
    const invalid = async (json: Record<string, unknown>) => {
      const { status, body } = await callJson(REPOSITORIES, { json });
      expect(status).toBe(400);
      return body.errors.map((error: { path: string }) => error.path);
    };
    const base = {
      provider: 'github',
      repository: 'acme/api',
      webhookSecret: GITHUB_SECRET,
      apiTokenSecretName: 'GH_TOKEN',
    };
    expect(await invalid({ ...base, provider: 'bitbucket', apiTokenSecretName: 'lower' })).toEqual([
      '/provider',
      '/apiTokenSecretName',
    ]);
    expect(await invalid({ ...base, apiBaseUrl: 'http://api.example.com' })).toEqual(['/apiBaseUrl']);
    expect(await invalid({ ...base, apiBaseUrl: 'https://user:pass@api.example.com' })).toEqual([
      '/apiBaseUrl',
    ]);
    expect(await invalid({ ...base, apiTokenSecretName: 'SECRETS_KEY' })).toEqual(['/apiTokenSecretName']);
    expect(await invalid({ ...base, repository: 'acme/../api', webhookSecret: 'short' })).toEqual([
      '/repository',
      '/webhookSecret',
    ]);
    expect(await invalid({ ...base, repository: 'acme' })).toEqual(['/repository']);
    expect(await invalid({ ...base, provider: 'gitlab', webhookSecret: 'whsec_dG9vIHNob3J0' })).toEqual([
      '/webhookSecret',
    ]);
  });

  it('needs the admin role', async () => {
    const { body } = await callJson('/api/v1/tokens', { json: { name: 'deployer', role: 'deployer' } });
    expect((await call(REPOSITORIES, { token: body.token })).status).toBe(403);
    expect((await call(REPOSITORIES, { token: null })).status).toBe(401);
  });

  it('answers 503 while SECRETS_KEY is not set, storing nothing', async () => {
    const app = createApp();
    const request = new Request(`https://control.test${REPOSITORIES}`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        provider: 'github',
        repository: 'acme/keyless',
        webhookSecret: GITHUB_SECRET,
        apiTokenSecretName: 'T',
      }),
    });
    const response = await app.fetch(request, { ...env, SECRETS_KEY: '' });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      type: 'https://edgeway.dev/problems/secrets-key-unavailable',
    });
    expect(
      await env.DB.prepare("SELECT 1 FROM repositories WHERE repository = 'acme/keyless'").first(),
    ).toBeNull();
  });
});

describe('deleting a registration', () => {
  it('audits it, after which its webhooks answer 404', async () => {
    const repository = uniqueRepository();
    const { id } = await register('github', repository, GITHUB_SECRET);
    expect((await call(`${REPOSITORIES}/${id}`, { method: 'DELETE' })).status).toBe(204);
    const audit = await env.DB.prepare(
      "SELECT actor FROM audit_log WHERE target = ? AND action = 'repository.delete'",
    )
      .bind(id)
      .first('actor');
    expect(audit).toBe('admin');
    expect((await pushToGithub(repository)).status).toBe(404);

    const again = await callJson(`${REPOSITORIES}/${id}`, { method: 'DELETE' });
    expect(again).toMatchObject({
      status: 404,
      body: { type: 'https://edgeway.dev/problems/repository-not-found' },
    });
  });
});
