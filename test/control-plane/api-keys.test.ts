/**
 * API keys through the API: issuing one (its plaintext once, a valid checksum, only its
 * hash and hint in D1, its KV record as the data plane reads it), listing, rolling with a
 * grace period, revoking; what happens when KV fails at each step; bad input and roles.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { hashApiKey, parseApiKey } from '../../src/config/api-keys.ts';
import { kvKeys } from '../../src/config/kv-keys.ts';
import {
  auditRows,
  createConsumer,
  createKey,
  keyRow,
  kvRecordOf,
  tokenFor,
  uniqueConsumer,
} from './consumer-support.ts';
import { appWith, type CallOptions, call, callJson, recordingKv } from './support.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const keysPath = (consumer: string) => `/api/v1/consumers/${consumer}/keys`;
const roll = (id: string, json: unknown = {}, options: CallOptions = {}) =>
  callJson(`/api/v1/keys/${id}/roll`, { json, ...options });
const revoke = (id: string, options: CallOptions = {}) =>
  callJson(`/api/v1/keys/${id}/revoke`, { method: 'POST', ...options });
const failingPuts = () => appWith({ configKv: recordingKv(() => true).wrap });
const failingDeletes = () => appWith({ configKv: recordingKv(undefined, () => true).wrap });
const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('issuing a key', () => {
  it('answers the plaintext once, with a valid checksum, and publishes its record', async () => {
    const name = uniqueConsumer();
    const consumer = await createConsumer(name, { tags: ['partner'], plan: 'gold', metadata: { crm: 7 } });
    const issued = await createKey(name);
    expect(issued).toEqual({
      id: expect.stringMatching(/^key_[0-9a-z]{26}$/),
      consumer: name,
      keySet: 'live',
      hint: `${issued.key.slice(0, 12)}...`,
      createdBy: 'admin',
      createdAt: expect.any(String),
      expiresAt: null,
      revokedAt: null,
      rolledInto: null,
      state: 'active',
      key: expect.stringMatching(/^ew_live_[0-9A-Za-z]{38}$/),
    });
    expect(parseApiKey(issued.key)).toBe('live');
    expect(await kvRecordOf(issued.key)).toEqual({
      keyId: issued.id,
      keySet: 'live',
      consumer: { id: consumer.id, name, tags: ['partner'], plan: 'gold', metadata: { crm: 7 } },
      expiresAt: null,
    });

    const listed = await call(keysPath(name));
    const text = await listed.text();
    expect(text).not.toContain(issued.key);
    expect(text).not.toContain(await hashApiKey(issued.key));
    const { key: _plaintext, consumer: _name, ...view } = issued;
    expect(JSON.parse(text)).toEqual({ keys: [view] });
    expect((await callJson(`/api/v1/consumers/${name}`)).body.keys).toEqual([view]);
  });

  it('issues a test key for previews, with an expiry', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const expiresAt = inFuture(7 * DAY_MS);
    const issued = await createKey(name, { keySet: 'test', expiresAt });
    expect(issued).toMatchObject({ keySet: 'test', expiresAt, state: 'expiring' });
    expect(parseApiKey(issued.key)).toBe('test');
    expect(await kvRecordOf(issued.key)).toMatchObject({ keySet: 'test', expiresAt });
  });

  it('stores only the hash and a hint: the plaintext is in no column of any row, nor in the audit log', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const issued = await createKey(name);
    const hash = await hashApiKey(issued.key);
    expect(await keyRow(issued.id)).toEqual({
      id: issued.id,
      consumer_id: expect.stringMatching(/^con_/),
      key_set: 'live',
      key_hash: hash,
      hint: issued.hint,
      created_by: 'admin',
      created_at: issued.createdAt,
      expires_at: null,
      revoked_at: null,
      rolled_into: null,
    });
    // The random part of the key, which the hint shows only the first 4 characters of.
    const secret = issued.key.slice(12);
    for (const table of ['api_keys', 'consumers', 'audit_log']) {
      const { results } = await env.DB.prepare(`SELECT * FROM ${table}`).all();
      expect(JSON.stringify(results)).not.toContain(secret);
    }
    const { results: everyAudit } = await env.DB.prepare('SELECT * FROM audit_log').all();
    expect(JSON.stringify(everyAudit)).not.toContain(hash);
    const audit = await auditRows(issued.id);
    expect(audit).toEqual([
      {
        actor: 'admin',
        action: 'api_key.create',
        details: { consumer: name, after: { keySet: 'live', expiresAt: null } },
      },
    ]);
  });

  it('withdraws the key and issues nothing when its KV record cannot be written', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const refused = await callJson(keysPath(name), { json: {}, handler: failingPuts() });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      title: 'Storage write failed',
      detail: 'Writing the key to KV failed, so it was withdrawn; no key was issued. Retry shortly.',
    });
    expect(JSON.stringify(refused.body)).not.toMatch(/ew_live_/);
    const [withdrawn] = (await callJson(keysPath(name))).body.keys;
    expect(withdrawn.state).toBe('revoked');
    expect((await auditRows(withdrawn.id)).map((row) => row.action)).toEqual([
      'api_key.create',
      'api_key.revoke',
    ]);
    expect((await env.CONFIG.list({ prefix: 'apikey/' })).keys.map((key) => key.name)).not.toContain(
      kvKeys.apiKey((await keyRow(withdrawn.id))!.key_hash as string),
    );
  });

  it.each([
    [{ keySet: 'prod' }, '/keySet'],
    [{ expiresAt: 'tomorrow' }, '/expiresAt'],
    [{ expiresAt: '2020-01-01T00:00:00Z' }, '/expiresAt'],
    [{ hash: 'x' }, ''],
  ])('refuses the invalid request %j with 400 naming the field', async (json, path) => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const { status, body } = await callJson(keysPath(name), { json });
    expect(status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ in: 'json', path })]);
  });
});

describe('rolling a key', () => {
  it('issues a replacement and lets the old key work for a day by default', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const old = await createKey(name);
    const before = Date.now();
    const rolled = await roll(old.id);
    const after = Date.now();
    expect(rolled.status).toBe(201);
    const { previous, ...replacement } = rolled.body;
    expect(replacement).toMatchObject({ consumer: name, keySet: 'live', expiresAt: null, state: 'active' });
    expect(parseApiKey(replacement.key)).toBe('live');
    expect(replacement.id).not.toBe(old.id);
    expect(previous).toMatchObject({ id: old.id, rolledInto: replacement.id, state: 'expiring' });
    const graceEnd = Date.parse(previous.expiresAt);
    expect(graceEnd).toBeGreaterThanOrEqual(before + DAY_MS);
    expect(graceEnd).toBeLessThanOrEqual(after + DAY_MS);

    expect((await kvRecordOf(old.key))?.expiresAt).toBe(previous.expiresAt);
    expect(await kvRecordOf(replacement.key)).toMatchObject({ keyId: replacement.id, expiresAt: null });
    expect((await auditRows(old.id)).at(-1)).toEqual({
      actor: 'admin',
      action: 'api_key.roll',
      details: {
        consumer: name,
        before: { expiresAt: null, rolledInto: null },
        after: { expiresAt: previous.expiresAt, rolledInto: replacement.id },
      },
    });
  });

  it('ends the old key at once with a grace period of 0, and keeps an expiry sooner than the grace period', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const now = await roll((await createKey(name)).id, { gracePeriodSeconds: 0 });
    expect(now.body.previous.state).toBe('expired');

    const soon = inFuture(60 * 60 * 1000);
    const expiring = await createKey(name, { expiresAt: soon });
    const rolled = await roll(expiring.id, { gracePeriodSeconds: 7 * 24 * 60 * 60 });
    expect(rolled.body.previous.expiresAt).toBe(soon);
    expect(rolled.body.expiresAt).toBe(soon);
    expect((await kvRecordOf(rolled.body.key))?.expiresAt).toBe(soon);
  });

  it('refuses to roll a key twice, a revoked key, an expired key and an unknown key', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const key = await createKey(name);
    const rolled = await roll(key.id);
    const twice = await roll(key.id);
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toBe(
      `That key was already rolled into ${rolled.body.id}; roll that key instead.`,
    );

    const revoked = await createKey(name);
    await revoke(revoked.id);
    const onRevoked = await roll(revoked.id);
    expect(onRevoked.status).toBe(409);
    expect(onRevoked.body.title).toBe('API key revoked');

    const expired = await createKey(name, { expiresAt: inFuture(DAY_MS) });
    await env.DB.prepare("UPDATE api_keys SET expires_at = '2020-01-01T00:00:00.000Z' WHERE id = ?")
      .bind(expired.id)
      .run();
    const onExpired = await roll(expired.id);
    expect(onExpired.status).toBe(409);
    expect(onExpired.body.title).toBe('API key expired');

    const missing = await roll('key_00000000000000000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('No API key has that id.');
    expect((await roll('not-a-key')).body.errors).toEqual([
      expect.objectContaining({ in: 'param', path: '/id' }),
    ]);
  });

  it('refuses a grace period out of range', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const key = await createKey(name);
    for (const gracePeriodSeconds of [-1, 2_592_001, 1.5, '60']) {
      const { status, body } = await roll(key.id, { gracePeriodSeconds });
      expect(status).toBe(400);
      expect(body.errors[0].path).toBe('/gracePeriodSeconds');
    }
    expect((await roll(key.id, { gracePeriodSeconds: 2_592_000 })).status).toBe(201);
  });

  it('changes nothing when the KV records cannot be written', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const key = await createKey(name);
    const refused = await roll(key.id, {}, { handler: failingPuts() });
    expect(refused.status).toBe(503);
    expect(JSON.stringify(refused.body)).not.toMatch(/ew_live_/);

    const keys = (await callJson(keysPath(name))).body.keys;
    expect(keys).toEqual([
      expect.objectContaining({ id: key.id, state: 'active', expiresAt: null, rolledInto: null }),
      expect.objectContaining({ state: 'revoked' }),
    ]);
    expect((await kvRecordOf(key.key))?.expiresAt).toBeNull();
    expect((await auditRows(key.id)).map((row) => row.action)).toEqual([
      'api_key.create',
      'api_key.roll',
      'api_key.roll.undo',
    ]);
    expect((await roll(key.id)).status).toBe(201);
  });
});

describe('revoking a key', () => {
  it('revokes the key and deletes its record; revoking again deletes it again', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const key = await createKey(name);
    const revoked = await revoke(key.id);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: key.id, state: 'revoked', revokedAt: expect.any(String) });
    expect(await kvRecordOf(key.key)).toBeNull();

    // A record left behind by an earlier failed delete goes on the next revocation.
    const hash = await hashApiKey(key.key);
    await env.CONFIG.put(kvKeys.apiKey(hash), 'left behind');
    const again = await revoke(key.id);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect(await env.CONFIG.get(kvKeys.apiKey(hash))).toBeNull();
    expect((await auditRows(key.id)).map((row) => row.action)).toEqual(['api_key.create', 'api_key.revoke']);
  });

  it('keeps the key revoked when its record cannot be deleted, and a retry deletes it', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const key = await createKey(name);
    const refused = await revoke(key.id, { handler: failingDeletes() });
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toContain('Send the same request again to finish.');
    expect((await keyRow(key.id))?.revoked_at).toEqual(expect.any(String));
    expect(await kvRecordOf(key.key)).not.toBeNull();

    expect((await revoke(key.id)).status).toBe(200);
    expect(await kvRecordOf(key.key)).toBeNull();
  });

  it('answers 404 for an unknown key', async () => {
    const { status, body } = await revoke('key_00000000000000000000000000');
    expect(status).toBe(404);
    expect(body.title).toBe('API key not found');
  });
});

describe('roles', () => {
  it('lets a viewer list keys but only an admin issue, roll or revoke them', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const key = await createKey(name);
    const viewer = await tokenFor('viewer');
    const deployer = await tokenFor('deployer');
    expect((await callJson(keysPath(name), { token: viewer })).body.keys).toHaveLength(1);
    for (const token of [viewer, deployer]) {
      expect((await callJson(keysPath(name), { json: {}, token })).status).toBe(403);
      expect((await roll(key.id, {}, { token })).status).toBe(403);
      expect((await revoke(key.id, { token })).status).toBe(403);
    }
    expect((await call(keysPath(name), { token: null })).status).toBe(401);
    expect(await kvRecordOf(key.key)).not.toBeNull();
    expect((await callJson(keysPath(name))).body.keys).toHaveLength(1);
  });
});
