/**
 * Per-environment vars and secrets through the API: set, list, replace and unset them;
 * roles; a secret's value absent from every answer and sealed in D1; the audit rows; and a
 * deploy compiling an API var over the config's.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${secret.NAME} is config-language syntax, not a template.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../control-plane/src/app.ts';
import { environmentSecretContext } from '../../control-plane/src/deploy/secrets.ts';
import { kvKeys } from '../../src/config/kv-keys.ts';
import { importSecretsKey, open } from '../../src/config/secret-box.ts';
import { deploymentSecretContext } from '../../src/config/secret-refs.ts';
import {
  ADMIN_TOKEN,
  allKvKeys,
  bundle,
  call,
  callJson,
  configYaml,
  deployLive,
  uniqueEnvironment,
} from './support.ts';

const SECRET = 'hunter2-very-secret-value';

async function tokenFor(role: string): Promise<string> {
  const { body } = await callJson('/api/v1/tokens', { json: { name: role, role } });
  return body.token;
}

const put = (path: string, value: string, token?: string) =>
  callJson(path, { method: 'PUT', json: { value }, ...(token ? { token } : {}) });
const remove = (path: string, token?: string) =>
  callJson(path, { method: 'DELETE', ...(token ? { token } : {}) });

async function auditRows(environment: string) {
  const { results } = await env.DB.prepare(
    'SELECT actor, action, details FROM audit_log WHERE target = ? ORDER BY id',
  )
    .bind(environment)
    .all();
  return results;
}

describe('vars', () => {
  it('sets, lists, replaces and unsets a var, auditing each change', async () => {
    const environment = uniqueEnvironment('vars');
    const base = `/api/v1/environments/${environment}`;
    expect(await callJson(`${base}/vars`)).toEqual({ status: 200, body: { vars: [], secrets: [] } });

    const set = await put(`${base}/vars/API_URL`, 'https://one.example');
    expect(set).toEqual({
      status: 200,
      body: { name: 'API_URL', value: 'https://one.example', updatedAt: expect.any(String) },
    });
    expect((await put(`${base}/vars/API_URL`, 'https://two.example')).status).toBe(200);
    expect((await put(`${base}/vars/OTHER`, 'x')).status).toBe(200);
    const listed = await callJson(`${base}/vars`);
    expect(listed.body.vars).toEqual([
      { name: 'API_URL', value: 'https://two.example', updatedAt: expect.any(String) },
      { name: 'OTHER', value: 'x', updatedAt: expect.any(String) },
    ]);

    expect(await remove(`${base}/vars/OTHER`)).toEqual({ status: 204, body: null });
    const again = await remove(`${base}/vars/OTHER`);
    expect(again.status).toBe(404);
    expect(again.body.title).toBe('Variable not found');

    const value = (text: string) => ({
      name: expect.any(String),
      value: text,
      updatedAt: expect.any(String),
    });
    const rows = (await auditRows(environment)).map((row) => ({
      ...row,
      details: JSON.parse(String(row.details)),
    }));
    expect(rows).toEqual([
      {
        actor: 'admin',
        action: 'environment.var.set',
        details: { name: 'API_URL', before: null, after: value('https://one.example') },
      },
      {
        actor: 'admin',
        action: 'environment.var.set',
        details: {
          name: 'API_URL',
          before: value('https://one.example'),
          after: value('https://two.example'),
        },
      },
      {
        actor: 'admin',
        action: 'environment.var.set',
        details: { name: 'OTHER', before: null, after: value('x') },
      },
      {
        actor: 'admin',
        action: 'environment.var.unset',
        details: { name: 'OTHER', before: value('x'), after: null },
      },
    ]);
  });

  it('refuses bad names, bad bodies and unknown collections', async () => {
    const base = `/api/v1/environments/${uniqueEnvironment('vars')}`;
    const lower = await put(`${base}/vars/api_url`, 'x');
    expect(lower.status).toBe(400);
    expect(lower.body.errors).toEqual([
      { in: 'param', path: '/var', message: expect.stringContaining('upper-case') },
    ]);
    const badBody = await callJson(`${base}/vars/A`, { method: 'PUT', json: { value: 1 } });
    expect(badBody.status).toBe(400);
    expect((await put('/api/v1/environments/Bad_Env/vars/A', 'x')).status).toBe(400);
    expect((await put(`${base}/other/A`, 'x')).status).toBe(404);
  });

  it('lets a viewer list but not change, and needs a token', async () => {
    const base = `/api/v1/environments/${uniqueEnvironment('vars')}`;
    const viewer = await tokenFor('viewer');
    const deployer = await tokenFor('deployer');
    expect((await put(`${base}/vars/A`, 'x', viewer)).status).toBe(403);
    expect((await put(`${base}/secrets/A`, 'x', viewer)).status).toBe(403);
    expect((await put(`${base}/vars/A`, 'x', deployer)).status).toBe(200);
    expect((await remove(`${base}/vars/A`, viewer)).status).toBe(403);
    expect((await callJson(`${base}/vars`, { token: viewer })).body.vars).toHaveLength(1);
    expect((await call(`${base}/vars`, { token: null })).status).toBe(401);
  });
});

describe('secrets', () => {
  it('stores a secret sealed, lists its name only, and never answers or audits its value', async () => {
    const environment = uniqueEnvironment('secrets');
    const base = `/api/v1/environments/${environment}`;
    const set = await call(`${base}/secrets/DB_PASSWORD`, { method: 'PUT', json: { value: SECRET } });
    const setText = await set.text();
    expect(set.status).toBe(200);
    expect(setText).not.toContain(SECRET);
    expect(JSON.parse(setText)).toEqual({ name: 'DB_PASSWORD', updatedAt: expect.any(String) });

    const listText = await (await call(`${base}/vars`)).text();
    expect(listText).not.toContain(SECRET);
    expect(JSON.parse(listText)).toEqual({
      vars: [],
      secrets: [{ name: 'DB_PASSWORD', updatedAt: expect.any(String) }],
    });

    const row = await env.DB.prepare('SELECT kind, value FROM environment_values WHERE environment = ?')
      .bind(environment)
      .first<{ kind: string; value: string }>();
    expect(row?.kind).toBe('secret');
    expect(row?.value).not.toContain(SECRET);
    expect(row?.value).toMatch(/^v1\./);
    const key = await importSecretsKey(env.SECRETS_KEY);
    if (!key.ok) throw new Error('test SECRETS_KEY');
    const context = environmentSecretContext(environment, 'DB_PASSWORD');
    expect(await open(key.value, row!.value, context)).toEqual({ ok: true, value: SECRET });
    // Bound to its row: it does not open as another environment's secret.
    expect((await open(key.value, row!.value, environmentSecretContext('other', 'DB_PASSWORD'))).ok).toBe(
      false,
    );

    expect(await remove(`${base}/secrets/DB_PASSWORD`)).toEqual({ status: 204, body: null });
    expect((await remove(`${base}/secrets/DB_PASSWORD`)).body.title).toBe('Secret not found');
    const audit = await auditRows(environment);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(audit.map((entry) => entry.action)).toEqual([
      'environment.secret.set',
      'environment.secret.unset',
    ]);
    // A secret's before and after are its name and when it changed.
    expect(JSON.parse(String(audit[1]?.details))).toEqual({
      name: 'DB_PASSWORD',
      before: { name: 'DB_PASSWORD', updatedAt: expect.any(String) },
      after: null,
    });
  });

  it('keeps one name one kind: a var and a secret cannot share it', async () => {
    const environment = uniqueEnvironment('secrets');
    const base = `/api/v1/environments/${environment}`;
    expect((await put(`${base}/secrets/TOKEN`, SECRET)).status).toBe(200);
    const clash = await put(`${base}/vars/TOKEN`, 'plain');
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toBe(
      `TOKEN is a secret of ${environment}; unset that secret first to make it a var.`,
    );
    expect((await remove(`${base}/vars/TOKEN`)).status).toBe(404);
    expect((await callJson(`${base}/vars`)).body.secrets).toHaveLength(1);
    expect((await auditRows(environment)).map((entry) => entry.action)).toEqual(['environment.secret.set']);
  });

  it('answers 503 while SECRETS_KEY is not set, storing nothing', async () => {
    const environment = uniqueEnvironment('secrets');
    const request = new Request(`https://control.test/api/v1/environments/${environment}/secrets/A`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ value: SECRET }),
    });
    const response = await createApp().fetch(request, { ...env, SECRETS_KEY: '' });
    expect(response.status).toBe(503);
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM environment_values WHERE environment = ?')
        .bind(environment)
        .first('n'),
    ).toBe(0);
  });
});

describe('deploying', () => {
  it('compiles the API vars over the config vars from the next deployment', async () => {
    const environment = uniqueEnvironment('deploy-vars');
    const before = await deployLive(environment);
    expect(await blobText(before.id)).toContain('http://127.0.0.1:8789');

    await put(`/api/v1/environments/${environment}/vars/DEMO_URL`, 'https://api-var.example');
    await put(`/api/v1/environments/${environment}/secrets/NOT_COMPILED`, SECRET);
    const after = await deployLive(environment, { tag: 'two' });
    const blob = await blobText(after.id);
    expect(blob).toContain('https://api-var.example');
    expect(blob).not.toContain('127.0.0.1:8789');
    expect(blob).not.toContain(SECRET);
  });

  it('carries a secret the config uses sealed for the deployment, never in clear', async () => {
    const environment = uniqueEnvironment('deploy-secrets');
    await put(`/api/v1/environments/${environment}/secrets/UPSTREAM_TOKEN`, SECRET);
    const files = {
      'edgeway.yaml': configYaml(environment).replace(
        'x-deploy-tag: one',
        'x-deploy-tag: one\n        authorization: "Bearer ${secret.UPSTREAM_TOKEN}"',
      ),
    };
    const response = await callJson('/api/v1/deployments', { json: bundle(environment, files) });
    expect(response.status).toBe(201);
    const text = await blobText(response.body.id);
    expect(text).not.toContain(SECRET);
    const blob = JSON.parse(text);
    expect(blob.format).toBe(2);
    expect(blob.config.policies['tag-response'].options.set.authorization).toBe(
      'Bearer ${secret.UPSTREAM_TOKEN}',
    );
    const key = await importSecretsKey(env.SECRETS_KEY);
    if (!key.ok) throw new Error('test SECRETS_KEY');
    const context = deploymentSecretContext(response.body.id, 'UPSTREAM_TOKEN');
    expect(await open(key.value, blob.secrets.UPSTREAM_TOKEN, context)).toEqual({ ok: true, value: SECRET });
  });

  it('refuses a config using a secret the environment does not have', async () => {
    const environment = uniqueEnvironment('deploy-secrets');
    const files = {
      'edgeway.yaml': configYaml(environment).replace('x-deploy-tag: one', 'x-deploy-tag: ${secret.MISSING}'),
    };
    const response = await callJson('/api/v1/deployments', { json: bundle(environment, files) });
    expect(response.status).toBe(422);
    expect(response.body.errors.map((error: { message: string }) => error.message)).toEqual([
      `secret "MISSING" is not set in environment "${environment}" (none are set); expected it set with \`edgeway secrets set MISSING --environment ${environment}\``,
    ]);
  });

  it('fails a deploy with 503 when SECRETS_KEY cannot open the secrets, touching no KV key', async () => {
    const environment = uniqueEnvironment('deploy-secrets');
    await put(`/api/v1/environments/${environment}/secrets/TOKEN`, SECRET);
    const keys = await allKvKeys();
    const request = new Request('https://control.test/api/v1/deployments', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(bundle(environment, { 'edgeway.yaml': configYaml(environment) })),
    });
    const otherKey = btoa('another-32-byte-secrets-key-here');
    const response = await createApp().fetch(request, { ...env, SECRETS_KEY: otherKey });
    expect(response.status).toBe(503);
    expect((await response.json<{ slug?: string; type: string }>()).type).toMatch(/secrets-key-unavailable$/);
    expect(await allKvKeys()).toEqual(keys);
  });
});

async function blobText(deploymentId: string): Promise<string> {
  return (await env.CONFIG.get(kvKeys.deployment(deploymentId))) ?? '';
}
