/**
 * Consumers through the API: creating, listing (by tag, by page), showing, updating and
 * deleting them; the audit rows with what changed; their keys' KV records rewritten on an
 * update and deleted with the consumer, also when KV fails once; bad input and roles.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  auditRows,
  createConsumer,
  createKey,
  keyRow,
  kvRecordOf,
  tokenFor,
  uniqueConsumer,
} from './consumer-support.ts';
import { appWith, call, callJson, recordingKv } from './support.ts';

const consumerPath = (name: string) => `/api/v1/consumers/${name}`;
const patch = (name: string, json: unknown, options = {}) =>
  callJson(consumerPath(name), { method: 'PATCH', json, ...options });
const remove = (name: string, options = {}) => callJson(consumerPath(name), { method: 'DELETE', ...options });

describe('consumers', () => {
  it('creates a consumer, shows it with its keys, and audits the creation', async () => {
    const name = uniqueConsumer();
    const response = await call('/api/v1/consumers', {
      json: { name, tags: ['partner', 'eu'], plan: 'gold', metadata: { crm: 'C-42' } },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/v1/consumers/${name}`);
    const consumer = await response.json<Record<string, unknown>>();
    expect(consumer).toEqual({
      id: expect.stringMatching(/^con_[0-9a-z]{26}$/),
      name,
      tags: ['partner', 'eu'],
      plan: 'gold',
      metadata: { crm: 'C-42' },
      createdBy: 'admin',
      createdAt: expect.any(String),
      updatedBy: 'admin',
      updatedAt: consumer.createdAt,
    });
    expect(await callJson(consumerPath(name))).toEqual({ status: 200, body: { ...consumer, keys: [] } });
    expect(await auditRows(consumer.id as string)).toEqual([
      {
        actor: 'admin',
        action: 'consumer.create',
        details: { name, after: { tags: ['partner', 'eu'], plan: 'gold', metadata: { crm: 'C-42' } } },
      },
    ]);
  });

  it('gives a consumer without options no tags, no plan and empty metadata', async () => {
    const consumer = await createConsumer(uniqueConsumer());
    expect(consumer).toMatchObject({ tags: [], plan: null, metadata: {} });
  });

  it('lists consumers by name, filtered by tag, a page at a time', async () => {
    const tag = `list-${uniqueConsumer()}`;
    const names = ['zeta', 'alpha', 'mid'].map((prefix) => uniqueConsumer(`${tag}-${prefix}`));
    for (const name of names) await createConsumer(name, { tags: [tag] });
    await createConsumer(uniqueConsumer(), { tags: ['other'] });

    const all = await callJson(`/api/v1/consumers?tag=${tag}`);
    expect(all.body.consumers.map((consumer: { name: string }) => consumer.name)).toEqual([...names].sort());
    expect(all.body.nextCursor).toBeNull();

    const first = await callJson(`/api/v1/consumers?tag=${tag}&limit=2`);
    expect(first.body.consumers).toHaveLength(2);
    expect(first.body.nextCursor).toBe(first.body.consumers[1].name);
    const second = await callJson(`/api/v1/consumers?tag=${tag}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.consumers.map((consumer: { name: string }) => consumer.name)).toEqual([
      [...names].sort()[2],
    ]);

    const everyone = await callJson('/api/v1/consumers?limit=1000');
    expect(everyone.body.consumers.length).toBeGreaterThan(names.length);
  });

  it('updates tags, plan and metadata, leaving out fields unchanged, and audits before and after', async () => {
    const name = uniqueConsumer();
    const consumer = await createConsumer(name, { tags: ['a'], plan: 'free', metadata: { n: 1 } });
    const planOnly = await patch(name, { plan: 'pro' });
    expect(planOnly.status).toBe(200);
    expect(planOnly.body).toMatchObject({ tags: ['a'], plan: 'pro', metadata: { n: 1 }, updatedBy: 'admin' });
    const cleared = await patch(name, { plan: null, tags: [], metadata: {} });
    expect(cleared.body).toMatchObject({ tags: [], plan: null, metadata: {} });
    expect((await callJson(consumerPath(name))).body).toMatchObject({ tags: [], plan: null, metadata: {} });

    const audit = await auditRows(consumer.id);
    expect(audit.map((row) => row.action)).toEqual(['consumer.create', 'consumer.update', 'consumer.update']);
    expect(audit[1]!.details).toEqual({
      name,
      before: { tags: ['a'], plan: 'free', metadata: { n: 1 } },
      after: { tags: ['a'], plan: 'pro', metadata: { n: 1 } },
    });
  });

  it('rewrites the KV record of every working key when the consumer changes, and of no other', async () => {
    const name = uniqueConsumer();
    const consumer = await createConsumer(name, { tags: ['beta'], plan: 'free' });
    const live = await createKey(name);
    const test = await createKey(name, { keySet: 'test' });
    const revoked = await createKey(name);
    await callJson(`/api/v1/keys/${revoked.id}/revoke`, { method: 'POST' });

    await patch(name, { tags: ['ga'], plan: 'pro', metadata: { region: 'eu' } });
    const expected = { id: consumer.id, name, tags: ['ga'], plan: 'pro', metadata: { region: 'eu' } };
    expect(await kvRecordOf(live.key)).toEqual({
      keyId: live.id,
      keySet: 'live',
      consumer: expected,
      expiresAt: null,
    });
    expect(await kvRecordOf(test.key)).toEqual({
      keyId: test.id,
      keySet: 'test',
      consumer: expected,
      expiresAt: null,
    });
    expect(await kvRecordOf(revoked.key)).toBeNull();

    await patch(name, { plan: null });
    expect((await kvRecordOf(live.key))?.consumer).toEqual({
      id: consumer.id,
      name,
      tags: ['ga'],
      metadata: { region: 'eu' },
    });
  });

  it('keeps the update when rewriting the KV records fails, and the same request again finishes it', async () => {
    const name = uniqueConsumer();
    await createConsumer(name, { plan: 'free' });
    const key = await createKey(name);
    const failing = appWith({ configKv: recordingKv(() => true).wrap });
    const refused = await patch(name, { plan: 'pro' }, { handler: failing });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({
      type: expect.stringContaining('storage-error'),
      title: 'Storage write failed',
    });
    expect(refused.body.detail).toContain('Send the same request again');
    expect((await callJson(consumerPath(name))).body.plan).toBe('pro');
    expect((await kvRecordOf(key.key))?.consumer.plan).toBe('free');

    expect((await patch(name, { plan: 'pro' })).status).toBe(200);
    expect((await kvRecordOf(key.key))?.consumer.plan).toBe('pro');
  });

  it('does not bring back the record of a key revoked while the records are rewritten', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const key = await createKey(name);
    const row = await keyRow(key.id);
    // A revocation landing between the update's read of the keys and its KV write.
    const racing = recordingKv(() => false);
    const revokeFirst = appWith({
      configKv: (binding) => {
        const kv = racing.wrap(binding);
        return {
          ...kv,
          put: async (kvKey, value) => {
            await env.DB.prepare('UPDATE api_keys SET revoked_at = ? WHERE key_hash = ?')
              .bind(new Date().toISOString(), row!.key_hash)
              .run();
            await kv.put(kvKey, value);
          },
        };
      },
    });
    expect((await patch(name, { plan: 'pro' }, { handler: revokeFirst })).status).toBe(200);
    expect(racing.writes.filter((write) => write.startsWith('put'))).toHaveLength(1);
    expect(await kvRecordOf(key.key)).toBeNull();
  });

  it('deletes a consumer: its keys are revoked, their records deleted, its rows gone and its name free', async () => {
    const name = uniqueConsumer();
    const consumer = await createConsumer(name, { tags: ['t'] });
    const keys = [await createKey(name), await createKey(name, { keySet: 'test' })];

    expect(await remove(name)).toEqual({ status: 204, body: null });
    for (const key of keys) {
      expect(await kvRecordOf(key.key)).toBeNull();
      expect(await keyRow(key.id)).toBeNull();
    }
    expect((await callJson(consumerPath(name))).status).toBe(404);
    expect((await remove(name)).status).toBe(404);
    expect((await auditRows(consumer.id)).map((row) => [row.action, row.details])).toEqual([
      ['consumer.create', expect.anything()],
      ['consumer.keys.revoke', { name }],
      ['consumer.delete', { name, before: { tags: ['t'], plan: null, metadata: {} } }],
    ]);
    expect((await createConsumer(name)).id).not.toBe(consumer.id);
  });

  it('keeps a consumer whose key records could not be deleted, with its keys revoked, until a retry', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const key = await createKey(name);
    const failing = appWith({ configKv: recordingKv(undefined, () => true).wrap });

    const refused = await remove(name, { handler: failing });
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toContain('Send the same request again');
    const shown = await callJson(consumerPath(name));
    expect(shown.body.keys).toEqual([expect.objectContaining({ id: key.id, state: 'revoked' })]);
    expect(await kvRecordOf(key.key)).not.toBeNull();

    expect((await remove(name)).status).toBe(204);
    expect(await kvRecordOf(key.key)).toBeNull();
  });

  it('answers 404 for a consumer that does not exist', async () => {
    const name = uniqueConsumer('missing');
    for (const response of [
      await callJson(consumerPath(name)),
      await callJson(`${consumerPath(name)}/keys`),
      await callJson(`${consumerPath(name)}/keys`, { json: {} }),
      await patch(name, { plan: 'x' }),
      await remove(name),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({
        title: 'Consumer not found',
        detail: 'No consumer has that name.',
      });
    }
  });

  it('refuses a name that is taken with 409', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const again = await callJson('/api/v1/consumers', { json: { name } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      title: 'Consumer name taken',
      detail: `A consumer named ${name} exists already; names are unique.`,
    });
  });

  it.each([
    [{ name: '' }, '/name', 'a consumer name is 1-64 letters'],
    [{ name: 'has space' }, '/name', 'a consumer name is 1-64 letters'],
    [{ name: 'x'.repeat(65) }, '/name', 'a consumer name is 1-64 letters'],
    [{ name: 'ok', tags: ['a', 'a'] }, '/tags', 'each tag appears once'],
    [{ name: 'ok', tags: ['no spaces'] }, '/tags/0', 'a tag is 1-32 letters'],
    [{ name: 'ok', plan: '' }, '/plan', 'a plan is 1-64 letters'],
    [
      { name: 'ok', metadata: { blob: 'x'.repeat(1020) } },
      '/metadata',
      'metadata is at most 1024 bytes of JSON',
    ],
    [{ name: 'ok', metadata: ['not', 'an', 'object'] }, '/metadata', ''],
    [{ name: 'ok', owner: 'x' }, '', 'owner'],
  ])('refuses the invalid body %j with 400 naming the field', async (json, path, message) => {
    const { status, body } = await callJson('/api/v1/consumers', { json });
    expect(status).toBe(400);
    expect(body.errors).toContainEqual({ in: 'json', path, message: expect.stringContaining(message) });
  });

  it('refuses an update that changes nothing, or that is invalid', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const empty = await patch(name, {});
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].message).toBe('give at least one of tags, plan and metadata');
    expect((await patch(name, { name: 'renamed' })).status).toBe(400);
    expect((await patch(name, { metadata: { big: 'x'.repeat(2000) } })).body.errors[0].path).toBe(
      '/metadata',
    );
  });

  it('lets a viewer read consumers but only an admin change them', async () => {
    const name = uniqueConsumer();
    await createConsumer(name);
    const viewer = await tokenFor('viewer');
    const deployer = await tokenFor('deployer');
    expect((await callJson(consumerPath(name), { token: viewer })).status).toBe(200);
    expect((await callJson('/api/v1/consumers', { token: viewer })).status).toBe(200);
    for (const token of [viewer, deployer]) {
      const created = await callJson('/api/v1/consumers', { json: { name: uniqueConsumer() }, token });
      expect(created.status).toBe(403);
      expect(created.body.detail).toContain('This needs the admin role');
      expect((await patch(name, { plan: 'x' }, { token })).status).toBe(403);
      expect((await remove(name, { token })).status).toBe(403);
    }
    expect((await call('/api/v1/consumers', { token: null })).status).toBe(401);
    expect((await callJson(consumerPath(name))).body.plan).toBeNull();
  });
});
