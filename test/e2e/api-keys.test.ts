/**
 * API keys for real: a consumer and its key made with the CLI against the control plane
 * under wrangler dev, a call through the data plane with the key (its consumer reaching
 * the upstream), and the key revoked with the CLI, refused at the edge within the data
 * plane's API_KEY_TTL_MS (set short here so the test is quick; the bound is the same
 * setting in production, plus KV's own propagation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../scripts/lib/local-stack.ts';
import { connectionFlags, runCli } from '../support/cli.ts';
import { eventually } from './support/data-plane.ts';
import { deployToProduction, startTestStack } from './support/stack.ts';

const API_KEY_TTL_MS = 2_000;
let stack: LocalStack;

const config = (upstream: string) => `version: 1
upstreams:
  demo: { url: "${upstream}" }
policies:
  partners:
    type: api-key-auth
    options:
      forwardHeaders: { name: x-consumer-name, tags: x-consumer-tags }
routes:
  - path: /echo/*
    upstream: demo
    inbound: [partners]
`;

const cli = (...args: string[]) => runCli([...args, ...connectionFlags(stack.controlUrl, stack.adminToken)]);

function callEdge(key?: string): Promise<Response> {
  return fetch(`${stack.dataUrl}/echo/orders`, { headers: key ? { 'x-api-key': key } : {} });
}

beforeAll(async () => {
  stack = await startTestStack('keys', { apiKeyTtlMs: API_KEY_TTL_MS });
  const deployed = await deployToProduction(stack, config(stack.upstreamUrl), 'api-key-auth');
  await eventually(async () => {
    const response = await callEdge();
    await response.arrayBuffer();
    return response.headers.get('edgeway-deployment') === deployed ? response : undefined;
  }, 15_000);
});

afterAll(async () => {
  await stack?.stop();
});

describe('API keys at the edge', () => {
  it('admits a key made with the CLI, then refuses it within API_KEY_TTL_MS of its revocation', async () => {
    expect((await cli('consumers', 'create', 'acme-mobile', '--tag', 'partner')).code).toBe(0);
    const created = await cli('keys', 'create', 'acme-mobile', '--json');
    expect(created.code, created.stderr).toBe(0);
    const { id, key } = JSON.parse(created.stdout) as { id: string; key: string };

    const admitted = await callEdge(key);
    expect(admitted.status).toBe(200);
    const echoed = (await admitted.json()) as { headers: Record<string, string> };
    expect(echoed.headers).toMatchObject({ 'x-consumer-name': 'acme-mobile', 'x-consumer-tags': 'partner' });
    expect(echoed.headers['x-api-key']).toBeUndefined();

    const anonymous = await callEdge();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toBe('application/problem+json');

    const revoked = await cli('keys', 'revoke', id);
    expect(revoked.code, revoked.stderr).toBe(0);
    const revokedAt = Date.now();
    const refused = await eventually(async () => {
      const response = await callEdge(key);
      await response.arrayBuffer();
      return response.status === 401 ? response : undefined;
    }, API_KEY_TTL_MS + 5_000);
    expect(refused.headers.get('www-authenticate')).toBe('ApiKey realm="edgeway", header="x-api-key"');
    // The bound, with a second of slack for the poll and the local processes.
    expect(Date.now() - revokedAt).toBeLessThan(API_KEY_TTL_MS + 1_000);
  });
});
