/**
 * api-key-auth and require-consumer through the gateway, over real KV records in the
 * shape the control plane publishes: valid, malformed (no I/O), unknown, revoked (within
 * and after the isolate's TTL), expired, rolled keys in and after their grace period,
 * keys in the query string, key sets, KV failures, and access rules.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type ApiKeyRecord, generateApiKey, hashApiKey, type KeySet } from '../../src/config/api-keys.ts';
import type { CompiledPolicy } from '../../src/config/compiled.ts';
import { kvKeys } from '../../src/config/kv-keys.ts';
import { apiKeyAuthSchema } from '../../src/policies/api-key-auth/schema.ts';
import { requireConsumerSchema } from '../../src/policies/require-consumer/schema.ts';
import { proxyTo } from './helpers/deployments.ts';
import { API_KEY_TTL_MS, createHarness, type Harness } from './helpers/harness.ts';
import { expectProblem } from './helpers/problems.ts';

/** The harness clock starts here (helpers/harness.ts). */
const START = 1_000_000;
const CONSUMER = {
  id: 'con_01jd3q8w0000000000000000aa',
  name: 'acme-mobile',
  tags: ['partner'],
  plan: 'gold',
  metadata: { region: 'eu' },
};

let keyIds = 0;
/** The harness serves a preview environment, so its gateway takes test keys by default. */
async function publishKey(set: KeySet = 'test', expiresAt: number | null = null): Promise<string> {
  const key = generateApiKey(set);
  keyIds += 1;
  const record: ApiKeyRecord = {
    keyId: `key_${String(keyIds).padStart(26, '0')}`,
    keySet: set,
    consumer: CONSUMER,
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
  };
  await env.CONFIG.put(kvKeys.apiKey(await hashApiKey(key)), JSON.stringify(record));
  return key;
}

const revoke = async (key: string) => env.CONFIG.delete(kvKeys.apiKey(await hashApiKey(key)));

function policy(options: Record<string, unknown> = {}): CompiledPolicy {
  return { type: 'api-key-auth', mode: 'enforce', options: apiKeyAuthSchema.parse(options) };
}

async function gatewayWith(options: Record<string, unknown> = {}): Promise<Harness> {
  const gw = createHarness();
  const auth = policy({
    forwardHeaders: { id: 'x-consumer-id', name: 'x-consumer-name', tags: 'x-consumer-tags' },
    ...options,
  });
  await gw.deploy([{ path: '/api/*', inbound: ['auth'], handler: proxyTo('echo') }], {
    policies: { auth },
  });
  return gw;
}

interface Echo {
  headers: Record<string, string>;
  query: Record<string, string>;
}

async function call(gw: Harness, key?: string, path = '/api/orders', headers: Record<string, string> = {}) {
  return gw.send(path, { headers: { ...(key ? { 'x-api-key': key } : {}), ...headers } });
}

async function expectRefused(response: Response): Promise<void> {
  const body = await expectProblem(response, 401, 'unauthorized');
  expect(body.detail).toBe('The API key is missing or not valid.');
  expect(response.headers.get('www-authenticate')).toBe('ApiKey realm="edgeway", header="x-api-key"');
}

describe('api-key-auth', () => {
  it("admits a valid key, forwards its consumer, strips the key and the client's own consumer headers", async () => {
    const gw = await gatewayWith();
    const key = await publishKey();
    const response = await call(gw, key, '/api/orders', {
      'x-consumer-id': 'spoofed',
      'x-consumer-tags': 'admin',
    });
    expect(response.status).toBe(200);
    const echo = (await response.json()) as Echo;
    expect(echo.headers['x-consumer-id']).toBe(CONSUMER.id);
    expect(echo.headers['x-consumer-name']).toBe('acme-mobile');
    expect(echo.headers['x-consumer-tags']).toBe('partner');
    expect(echo.headers['x-api-key']).toBeUndefined();
  });

  it('looks a key up by its SHA-256 only, once per TTL', async () => {
    const gw = await gatewayWith();
    const key = await publishKey();
    await call(gw, key);
    const reads = gw.store.reads;
    expect((await call(gw, key)).status).toBe(200);
    expect(gw.store.reads).toBe(reads);
    expect(gw.store.keysRead).toContain(`apikey/${await hashApiKey(key)}`);
    expect(gw.store.keysRead.some((read) => read.includes(key))).toBe(false);
  });

  it('refuses a key with a bad checksum, or of the wrong key set, without reading KV', async () => {
    const gw = await gatewayWith();
    await call(gw, await publishKey());
    const reads = gw.store.reads;
    const key = await publishKey();
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    await expectRefused(await call(gw, key.slice(0, -1) + last));
    await expectRefused(await call(gw, 'not-an-edgeway-key'));
    await expectRefused(await call(gw, await publishKey('live')));
    expect(gw.store.reads).toBe(reads);
  });

  it('refuses unknown and expired keys with the same answer', async () => {
    const gw = await gatewayWith();
    await expectRefused(await call(gw, generateApiKey('test')));
    await expectRefused(await call(gw, await publishKey('test', START - 1)));
  });

  it('stops admitting a revoked key once the isolate TTL has passed', async () => {
    const gw = await gatewayWith();
    const key = await publishKey();
    expect((await call(gw, key)).status).toBe(200);
    await revoke(key);
    gw.advance(API_KEY_TTL_MS - 1);
    expect((await call(gw, key)).status).toBe(200);
    gw.advance(1);
    await expectRefused(await call(gw, key));
  });

  it('admits a rolled key until its grace period ends', async () => {
    const gw = await gatewayWith();
    const grace = 60_000;
    const old = await publishKey('test', START + grace);
    expect((await call(gw, old)).status).toBe(200);
    gw.advance(grace - 1);
    expect((await call(gw, old)).status).toBe(200);
    gw.advance(1);
    await expectRefused(await call(gw, old));
  });

  it('refuses a key in the query string unless the route allows a parameter, which it then strips', async () => {
    const strict = await gatewayWith();
    const key = await publishKey();
    const refused = await call(strict, undefined, `/api/orders?page=2&key=${key}`);
    const body = await expectProblem(refused, 401, 'unauthorized');
    expect(body.detail).toBe(
      'API keys are not accepted in the query string; send the key in the x-api-key header.',
    );

    const lenient = await gatewayWith({ queryParameter: 'api_key' });
    const response = await call(lenient, undefined, `/api/orders?page=2&api_key=${key}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Echo).query).toEqual({ page: '2' });
  });

  it('takes test keys in a preview, and live keys where the policy says so', async () => {
    const preview = await gatewayWith();
    expect((await call(preview, await publishKey('test'))).status).toBe(200);
    await expectRefused(await call(preview, await publishKey('live')));
    const live = await gatewayWith({ keySet: 'live' });
    expect((await call(live, await publishKey('live'))).status).toBe(200);
    await expectRefused(await call(live, await publishKey('test')));
  });

  it('reads the key from Authorization: Bearer when configured', async () => {
    const gw = await gatewayWith({ key: { header: 'authorization', scheme: 'Bearer' } });
    const key = await publishKey();
    expect((await call(gw, undefined, '/api/x', { authorization: `Bearer ${key}` })).status).toBe(200);
    const missing = await call(gw);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="edgeway"');
  });

  it('lets a request without a key through anonymous only when allowed', async () => {
    await expectRefused(await call(await gatewayWith()));
    const open = await gatewayWith({ allowAnonymous: true });
    const response = await call(open, undefined, '/api/x', { 'x-consumer-id': 'spoofed' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Echo).headers['x-consumer-id']).toBeUndefined();
    await expectRefused(await call(open, generateApiKey('test')));
  });

  it('keeps admitting a key it has seen while KV is down, and answers 503 for one it has not', async () => {
    const gw = await gatewayWith();
    const seen = await publishKey();
    expect((await call(gw, seen)).status).toBe(200);
    const unseen = await publishKey();
    gw.advance(API_KEY_TTL_MS);
    gw.store.failing = true;
    expect((await call(gw, seen)).status).toBe(200);
    const response = await call(gw, unseen);
    await expectProblem(response, 503, 'credentials-unavailable');
    expect(response.headers.get('retry-after')).toBe('5');
  });
});

describe('require-consumer', () => {
  async function ruled(rule: Record<string, unknown>): Promise<Harness> {
    const gw = createHarness();
    await gw.deploy([{ path: '/api/*', inbound: ['auth', 'rule'], handler: proxyTo('echo') }], {
      policies: {
        auth: policy({ allowAnonymous: true }),
        rule: { type: 'require-consumer', mode: 'enforce', options: requireConsumerSchema.parse(rule) },
      },
    });
    return gw;
  }

  it('admits consumers the rule names, refuses others with 403 and anonymous callers with 401', async () => {
    const key = await publishKey();
    expect((await call(await ruled({ tags: ['partner', 'staff'] }), key)).status).toBe(200);
    expect((await call(await ruled({ consumers: ['acme-mobile'] }), key)).status).toBe(200);
    await expectProblem(await call(await ruled({ tags: ['staff'] }), key), 403, 'forbidden');
    await expectProblem(await call(await ruled({ scopes: ['orders:write'] }), key), 403, 'forbidden');
    const anonymous = await call(await ruled({}));
    await expectProblem(anonymous, 401, 'unauthorized');
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="edgeway"');
  });
});
