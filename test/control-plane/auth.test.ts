/** Bearer authentication, roles, and the token endpoints. */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { appWith, call, callJson, deployRequest, uniqueEnvironment } from './support.ts';

async function createToken(role: string, name = `${role} token`): Promise<{ id: string; token: string }> {
  const { status, body } = await callJson('/api/v1/tokens', { json: { name, role } });
  expect(status).toBe(201);
  return body;
}

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate when no token is sent', async () => {
    const response = await call('/api/v1/deployments', { token: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="edgeway"');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = await response.json<Record<string, unknown>>();
    expect(body).toMatchObject({ type: 'https://edgeway.dev/problems/unauthorized', status: 401 });
    expect(body.requestId).toEqual(expect.any(String));
  });

  it('answers 401 invalid_token for an unknown token, a wrong admin token and a non-bearer scheme', async () => {
    for (const authorization of ['ewt_not-a-real-token', 'wrong-admin-token']) {
      const response = await call('/api/v1/deployments', { token: authorization });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    const basic = await call('/api/v1/deployments', {
      token: null,
      headers: { authorization: `Basic ${btoa('a:b')}` },
    });
    expect(basic.status).toBe(401);
  });

  it('lets GET /healthz through without a token', async () => {
    const response = await call('/healthz', { token: null });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('tokens', () => {
  it('creates a token whose value is shown once and whose hash alone is stored', async () => {
    const created = await createToken('viewer', 'dashboard');
    expect(created.token).toMatch(/^ewt_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^tok_[0-9a-z]{26}$/),
      name: 'dashboard',
      role: 'viewer',
    });

    const row = await env.DB.prepare('SELECT * FROM api_tokens WHERE id = ?').bind(created.id).first();
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(created.token));
    const hex = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
    expect(row?.token_hash).toBe(hex);
    expect(JSON.stringify(row)).not.toContain(created.token);

    const { body } = await callJson('/api/v1/tokens');
    const listed = body.tokens.find((token: { id: string }) => token.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      name: 'dashboard',
      role: 'viewer',
      memberId: null,
      createdBy: 'admin',
      createdAt: expect.any(String),
      revokedAt: null,
    });
    expect(JSON.stringify(body)).not.toContain(hex);
  });

  it('authenticates a created token and rejects it once revoked', async () => {
    const { id, token } = await createToken('viewer');
    expect((await call('/api/v1/deployments', { token })).status).toBe(200);

    expect((await call(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    const revoked = await call('/api/v1/deployments', { token });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('invalid_token');

    // Revoking again changes nothing and is not audited twice.
    expect((await call(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    const audits = await env.DB.prepare(
      "SELECT actor FROM audit_log WHERE action = 'token.revoke' AND target = ?",
    )
      .bind(id)
      .all();
    expect(audits.results).toEqual([{ actor: 'admin' }]);
  });

  it('answers 404 for revoking an unknown token', async () => {
    const { status, body } = await callJson('/api/v1/tokens/tok_00000000000000000000000000', {
      method: 'DELETE',
    });
    expect(status).toBe(404);
    expect(body.type).toBe('https://edgeway.dev/problems/token-not-found');
  });

  it('audits token creation with the creator as actor', async () => {
    const { id } = await createToken('deployer', 'ci');
    const row = await env.DB.prepare('SELECT actor, action, details FROM audit_log WHERE target = ?')
      .bind(id)
      .first();
    expect(row).toEqual({
      actor: 'admin',
      action: 'token.create',
      details: JSON.stringify({
        name: 'ci',
        before: null,
        after: { name: 'ci', role: 'deployer', memberId: null },
      }),
    });
  });
});

describe('roles', () => {
  it('lets a viewer read but not deploy, roll back or manage tokens', async () => {
    const { token } = await createToken('viewer');
    const environment = uniqueEnvironment('viewer');
    expect((await call('/api/v1/deployments', { token })).status).toBe(200);
    expect((await call('/api/v1/environments', { token })).status).toBe(200);

    const deploy = await deployRequest(environment, { token });
    expect(deploy.status).toBe(403);
    expect(await deploy.json()).toMatchObject({
      type: 'https://edgeway.dev/problems/forbidden',
      status: 403,
    });
    const rollback = await call(`/api/v1/environments/${environment}/rollback`, {
      token,
      json: { deploymentId: 'dep_00000000000000000000000000' },
    });
    expect(rollback.status).toBe(403);
    expect((await call('/api/v1/tokens', { token })).status).toBe(403);
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM deployments WHERE environment = ?')
      .bind(environment)
      .first<number>('n');
    expect(rows).toBe(0);
  });

  it('lets a deployer deploy but not manage tokens, and records it as the actor', async () => {
    const { id, token } = await createToken('deployer');
    const environment = uniqueEnvironment('deployer');
    const deploy = await deployRequest(environment, { token });
    expect(deploy.status).toBe(201);
    const deployment = await deploy.json<{ id: string; createdBy: string }>();
    expect(deployment.createdBy).toBe(`token:${id}`);
    const audit = await env.DB.prepare('SELECT actor FROM audit_log WHERE target = ?')
      .bind(deployment.id)
      .first('actor');
    expect(audit).toBe(`token:${id}`);

    expect((await call('/api/v1/tokens', { token })).status).toBe(403);
    expect((await call('/api/v1/tokens', { token, json: { name: 'x', role: 'admin' } })).status).toBe(403);
  });

  it('lets an admin token manage tokens', async () => {
    const { token } = await createToken('admin');
    const { status } = await callJson('/api/v1/tokens', {
      token,
      json: { name: 'made by admin', role: 'viewer' },
    });
    expect(status).toBe(201);
  });
});

describe('errors', () => {
  it('answers unknown routes with a 404 problem', async () => {
    const { status, body } = await callJson('/api/v1/nothing-here');
    expect(status).toBe(404);
    expect(body).toMatchObject({ type: 'https://edgeway.dev/problems/not-found', status: 404 });
    expect((await call('/elsewhere', { token: null })).status).toBe(404);
  });

  it('turns an unexpected error into a 500 problem that leaks nothing, and logs it', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = appWith({
      configKv: () => {
        throw new Error('secret internal detail');
      },
    });
    const response = await call('/api/v1/deployments', { handler });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret internal detail');
    const problem = JSON.parse(text);
    expect(problem).toMatchObject({ type: 'https://edgeway.dev/problems/internal-error', status: 500 });
    const line = JSON.parse(String(logged.mock.calls[0]?.[0]));
    expect(line).toMatchObject({ requestId: problem.requestId, error: 'secret internal detail' });
    logged.mockRestore();
  });
});
