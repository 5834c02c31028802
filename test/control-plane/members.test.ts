/**
 * The team API in the real worker: inviting the first owner with the bootstrap token,
 * who may grant which role, members' tokens (capped at the member's role, dead once the
 * member is disabled or removed), sessions ending with the member, and the audit log of
 * every change with its before and after, read back through GET /api/v1/audit.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, callJson, deployRequest, uniqueEnvironment } from './support.ts';
import { invite, type Member, sessionCall, signIn, tokenOf, uniqueEmail } from './team-support.ts';

let owner: Member;
let ownerToken: string;
let adminToken: string;

beforeAll(async () => {
  owner = await invite('owner');
  ownerToken = await tokenOf(owner, 'owner');
  adminToken = await tokenOf(await invite('admin'), 'admin');
});

describe('inviting', () => {
  it('lets the bootstrap token invite the first owner, with a generated password shown once', async () => {
    const email = uniqueEmail('first');
    const { status, body } = await callJson('/api/v1/members', { json: { email, role: 'owner' } });
    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^mem_[0-9a-z]{26}$/),
      email,
      name: email.split('@')[0],
      role: 'owner',
      disabledAt: null,
      createdBy: 'admin',
      createdAt: expect.any(String),
      updatedBy: 'admin',
      updatedAt: expect.any(String),
      password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
    });
    // The password signs in; only its PBKDF2 hash is stored, and no list shows either.
    expect((await signIn({ email, password: body.password })).csrfToken).toBeTruthy();
    const row = await env.DB.prepare('SELECT password_hash FROM members WHERE id = ?').bind(body.id).first();
    expect(row?.password_hash).toMatch(/^\$pbkdf2-sha256\$i=100000\$/);
    const listed = await callJson('/api/v1/members');
    expect(listed.body.members.find((member: { id: string }) => member.id === body.id)).not.toHaveProperty(
      'password',
    );
    expect(JSON.stringify(listed.body)).not.toContain('pbkdf2');
  });

  it('lets only an owner make an owner; an admin invites up to admin', async () => {
    const byAdmin = await callJson('/api/v1/members', {
      token: adminToken,
      json: { email: uniqueEmail(), role: 'owner' },
    });
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.detail).toContain('nobody grants a role above their own');
    expect((await invite('admin', uniqueEmail(), adminToken)).id).toMatch(/^mem_/);
    expect((await invite('owner', uniqueEmail(), ownerToken)).id).toMatch(/^mem_/);
  });

  it('keeps emails unique whatever their case, and checks each field', async () => {
    const member = await invite('viewer', 'Grace@Example.com');
    expect(member.id).toBeTruthy();
    const again = await callJson('/api/v1/members', { json: { email: 'grace@example.COM', role: 'viewer' } });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('https://edgeway.dev/problems/member-exists');
    const bad = await callJson('/api/v1/members', {
      json: { email: 'not-an-email', role: 'emperor', password: 'short' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      '/email',
      '/password',
      '/role',
    ]);
  });
});

describe('roles', () => {
  it('lets an owner change a role, and nobody else', async () => {
    const member = await invite('viewer');
    const byAdmin = await callJson(`/api/v1/members/${member.email}/role`, {
      method: 'PUT',
      token: adminToken,
      json: { role: 'deployer' },
    });
    expect(byAdmin.status).toBe(403);
    const byOwner = await callJson(`/api/v1/members/${member.id}/role`, {
      method: 'PUT',
      token: ownerToken,
      json: { role: 'deployer' },
    });
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toMatchObject({ role: 'deployer', updatedBy: expect.stringMatching(/^token:/) });
  });

  it('keeps an admin from changing an owner', async () => {
    const other = await invite('owner');
    for (const [method, path] of [
      ['POST', `/api/v1/members/${other.email}/disable`],
      ['DELETE', `/api/v1/members/${other.email}`],
    ] as const) {
      const refused = await callJson(path, { method, token: adminToken });
      expect(refused.status).toBe(403);
    }
  });

  it('answers 404 for an unknown member', async () => {
    const { status, body } = await callJson('/api/v1/members/nobody@example.com', { method: 'DELETE' });
    expect(status).toBe(404);
    expect(body.type).toBe('https://edgeway.dev/problems/member-not-found');
  });
});

describe("members' tokens", () => {
  it("caps a token's role at its member's, also after the member is demoted", async () => {
    const member = await invite('deployer');
    const above = await callJson('/api/v1/tokens', {
      json: { name: 'too high', role: 'admin', member: member.email },
    });
    expect(above.status).toBe(422);
    expect(above.body.type).toBe('https://edgeway.dev/problems/role-above-member');

    const token = await tokenOf(member, 'deployer');
    const listed = await callJson(`/api/v1/tokens?member=${member.email}`);
    expect(listed.body.tokens).toEqual([expect.objectContaining({ memberId: member.id, role: 'deployer' })]);
    expect((await deployRequest(uniqueEnvironment('capped'), { token })).status).toBe(201);

    await callJson(`/api/v1/members/${member.email}/role`, { method: 'PUT', json: { role: 'viewer' } });
    const demoted = await deployRequest(uniqueEnvironment('capped'), { token });
    expect(demoted.status).toBe(403);
    expect((await call('/api/v1/deployments', { token })).status).toBe(200);
  });

  it("makes a token the caller's own, up to the caller's role", async () => {
    const admin = await invite('admin');
    const session = await signIn(admin);
    const own = await sessionCall('/api/v1/tokens', session, {
      method: 'POST',
      json: { name: 'cli', role: 'deployer' },
    });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ memberId: admin.id, role: 'deployer', createdBy: `member:${admin.id}` });
    const higher = await sessionCall('/api/v1/tokens', session, {
      method: 'POST',
      json: { name: 'x', role: 'owner' },
    });
    expect(higher.status).toBe(403);
  });

  it('stops a disabled member signing in, their sessions and tokens, until enabled', async () => {
    const member = await invite('deployer');
    const token = await tokenOf(member, 'deployer');
    const session = await signIn(member);

    expect(
      (await callJson(`/api/v1/members/${member.email}/disable`, { method: 'POST' })).body,
    ).toMatchObject({
      disabledAt: expect.any(String),
    });
    expect((await call('/api/v1/deployments', { token })).status).toBe(401);
    expect((await sessionCall('/api/v1/deployments', session)).status).toBe(401);

    expect((await callJson(`/api/v1/members/${member.email}/enable`, { method: 'POST' })).status).toBe(200);
    expect((await call('/api/v1/deployments', { token })).status).toBe(200);
    // Its sessions ended for good; signing in again works.
    expect((await sessionCall('/api/v1/deployments', session)).status).toBe(401);
    expect((await sessionCall('/api/v1/deployments', await signIn(member))).status).toBe(200);
  });

  it("ends a removed member's tokens and sessions", async () => {
    const member = await invite('admin');
    const token = await tokenOf(member, 'admin');
    const session = await signIn(member);
    expect((await call(`/api/v1/members/${member.email}`, { method: 'DELETE' })).status).toBe(204);

    const refused = await call('/api/v1/deployments', { token });
    expect(refused.status).toBe(401);
    expect((await sessionCall('/api/v1/deployments', session)).status).toBe(401);
    const { results } = await env.DB.prepare('SELECT revoked_at FROM api_tokens WHERE member_id = ?')
      .bind(member.id)
      .all();
    expect(results).toEqual([{ revoked_at: expect.any(String) }]);
    // The email is free again.
    expect((await invite('viewer', member.email)).id).not.toBe(member.id);
  });
});

describe('the audit log', () => {
  it('records each change to a member with who, before and after, newest first', async () => {
    const member = await invite('viewer');
    await callJson(`/api/v1/members/${member.email}/role`, {
      method: 'PUT',
      token: ownerToken,
      json: { role: 'admin' },
    });
    await callJson(`/api/v1/members/${member.email}/disable`, { method: 'POST' });
    await callJson(`/api/v1/members/${member.email}`, { method: 'DELETE' });

    const { status, body } = await callJson(`/api/v1/audit?target=${member.id}`);
    expect(status).toBe(200);
    const fields = { email: member.email, name: member.email.split('@')[0] };
    expect(
      body.entries.map(({ actor, action, details }: Record<string, unknown>) => ({ actor, action, details })),
    ).toEqual([
      {
        actor: 'admin',
        action: 'member.remove',
        details: { email: member.email, before: { ...fields, role: 'admin', disabled: true }, after: null },
      },
      {
        actor: 'admin',
        action: 'member.disable',
        details: {
          email: member.email,
          before: { ...fields, role: 'admin', disabled: false },
          after: { ...fields, role: 'admin', disabled: true },
        },
      },
      {
        actor: expect.stringMatching(/^token:tok_/),
        action: 'member.role.set',
        details: {
          email: member.email,
          before: { ...fields, role: 'viewer', disabled: false },
          after: { ...fields, role: 'admin', disabled: false },
        },
      },
      {
        actor: 'admin',
        action: 'member.invite',
        details: { email: member.email, before: null, after: { ...fields, role: 'viewer', disabled: false } },
      },
    ]);
    expect(body.entries[0]).toEqual(
      expect.objectContaining({ id: expect.any(Number), at: expect.any(String) }),
    );
    expect(JSON.stringify(body)).not.toContain(member.password);
  });

  it('pages from the newest entry back', async () => {
    const first = await callJson('/api/v1/audit?limit=2');
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0].id).toBeGreaterThan(first.body.entries[1].id);
    const next = await callJson(`/api/v1/audit?limit=2&before=${first.body.nextCursor}`);
    expect(next.body.entries[0].id).toBeLessThan(first.body.entries[1].id);
  });
});
