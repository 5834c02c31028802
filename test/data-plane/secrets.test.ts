/**
 * Secrets in compiled deployments (format 2): the data plane opens them with SECRETS_KEY
 * at load, fills them into the policy's options and validates those; anything that
 * cannot be opened or validated leaves the last-known-good deployment serving, and no
 * log line shows a value.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${secret.NAME} is config-language syntax, not a template.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { CompiledDeployment, CompiledPolicy } from '../../src/config/compiled.ts';
import { importSecretsKey, seal } from '../../src/config/secret-box.ts';
import { deploymentSecretContext } from '../../src/config/secret-refs.ts';
import { compileDeployment, proxyTo } from './helpers/deployments.ts';
import { createHarness, type Harness, POINTER_TTL_MS } from './helpers/harness.ts';
import { publish } from './helpers/kv.ts';

const SECRETS_KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const OTHER_KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

const upstreamAuth: CompiledPolicy = {
  type: 'set-headers',
  mode: 'enforce',
  options: { set: { 'x-upstream-auth': 'Bearer ${secret.TOKEN}', 'x-literal': '$${secret.TOKEN}' } },
  secrets: ['TOKEN'],
};
const routes = [{ path: '/api/*', inbound: ['auth'], handler: proxyTo('echo') }];

/** A deployment of the harness's environment with TOKEN sealed under `key` for `sealedFor` (default: itself). */
async function deployWithSecret(
  gw: Harness,
  value: string,
  options: { key?: string; sealedFor?: string } = {},
): Promise<CompiledDeployment> {
  const deployment = await compileDeployment({
    environment: gw.environment,
    routes,
    policies: { auth: upstreamAuth },
  });
  const key = await importSecretsKey(options.key ?? SECRETS_KEY);
  if (!key.ok) throw new Error(key.error);
  const context = deploymentSecretContext(options.sealedFor ?? deployment.deploymentId, 'TOKEN');
  const withSecret = { ...deployment, secrets: { TOKEN: await seal(key.value, value, context) } };
  await publish(env.CONFIG, withSecret);
  return withSecret;
}

async function upstreamHeaders(gw: Harness): Promise<Record<string, string>> {
  const response = await gw.send('/api/x');
  expect(response.status).toBe(200);
  return ((await response.json()) as { headers: Record<string, string> }).headers;
}

function loggedText(gw: Harness): string {
  return JSON.stringify(gw.logs);
}

describe('secrets in deployments', () => {
  it('fills the opened secret into the policy, and keeps an escaped reference literal', async () => {
    const gw = createHarness({ secretsKey: SECRETS_KEY });
    await deployWithSecret(gw, 'tok-123');
    const headers = await upstreamHeaders(gw);
    expect(headers['x-upstream-auth']).toBe('Bearer tok-123');
    expect(headers['x-literal']).toBe('${secret.TOKEN}');
  });

  it('serves nothing from a deployment it cannot open, and keeps the last-known-good one', async () => {
    const gw = createHarness({ secretsKey: SECRETS_KEY });
    const good = await deployWithSecret(gw, 'tok-good');
    expect((await upstreamHeaders(gw))['x-upstream-auth']).toBe('Bearer tok-good');

    await deployWithSecret(gw, 'tok-other-key', { key: OTHER_KEY });
    gw.advance(POINTER_TTL_MS);
    await gw.send('/api/x');
    const response = await gw.send('/api/x');
    expect(response.headers.get('edgeway-deployment')).toBe(good.deploymentId);
    expect(loggedText(gw)).toContain('cannot open secret TOKEN (unauthentic)');
    expect(loggedText(gw)).not.toContain('tok-other-key');
  });

  it('refuses a secret sealed for another deployment (a copied blob)', async () => {
    const gw = createHarness({ secretsKey: SECRETS_KEY });
    await deployWithSecret(gw, 'tok-copied', { sealedFor: 'dep_00000000000000000000000000' });
    const response = await gw.send('/api/x');
    expect(response.status).toBe(503);
    expect(loggedText(gw)).toContain('cannot open secret TOKEN (unauthentic)');
  });

  it('needs SECRETS_KEY only for deployments that use secrets', async () => {
    const gw = createHarness();
    await deployWithSecret(gw, 'tok-no-key');
    expect((await gw.send('/api/x')).status).toBe(503);
    expect(loggedText(gw)).toContain("uses secrets, and this data plane's SECRETS_KEY is missing");

    const plain = createHarness();
    await plain.deploy([{ path: '/api/*', handler: proxyTo('echo') }]);
    expect((await plain.send('/api/x')).status).toBe(200);
  });

  it('validates the filled-in options without logging the value', async () => {
    const gw = createHarness({ secretsKey: SECRETS_KEY });
    await deployWithSecret(gw, 'tok\r\nx-injected: 1');
    expect((await gw.send('/api/x')).status).toBe(503);
    expect(loggedText(gw)).toContain('policy \\"auth\\" has invalid options once its secrets are filled in');
    expect(loggedText(gw)).not.toContain('x-injected');
  });

  it('still serves format 1 deployments (N-1)', async () => {
    const gw = createHarness();
    const deployment = await compileDeployment({
      environment: gw.environment,
      routes: [{ path: '/api/*', handler: proxyTo('echo') }],
    });
    await publish(env.CONFIG, { ...deployment, format: 1 });
    const response = await gw.send('/api/x');
    expect(response.status).toBe(200);
    expect(response.headers.get('edgeway-deployment')).toBe(deployment.deploymentId);
  });
});
