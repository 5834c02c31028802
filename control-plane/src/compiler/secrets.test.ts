// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${secret.NAME} is config-language syntax, not a template.
import { describe, expect, it } from 'vitest';
import { fillSecrets } from '../../../src/config/secret-refs.ts';
import { compile, formatCompileError } from './index.ts';
import { lines } from './test-support.ts';

const config = lines([
  'version: 1',
  'vars: { ENV_NAME: "prod" }',
  'upstreams:',
  '  api: { url: "http://127.0.0.1:9000" }',
  'policies:',
  '  upstream-auth:',
  '    type: set-headers',
  '    options:',
  '      set:',
  '        authorization: "Bearer ${secret.UPSTREAM_TOKEN}"',
  '        x-env: "${env.ENV_NAME} $${literal}"',
  '  plain:',
  '    type: set-headers',
  '    options: { set: { x-plain: "yes" } }',
  'routes:',
  '  - path: /api/*',
  '    upstream: api',
  '    inbound: [upstream-auth, plain]',
]);

async function compileWith(text: string, secrets?: Record<string, string>) {
  return compile({
    files: { 'edgeway.yaml': text },
    environment: 'production',
    secrets: secrets && new Map(Object.entries(secrets)),
  });
}

describe('secret references', () => {
  it('compiles a policy using a secret into a template without its value', async () => {
    const result = await compileWith(config, { UPSTREAM_TOKEN: 's3cr3t-value', UNUSED: 'x' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.secrets).toEqual(['UPSTREAM_TOKEN']);
    expect(JSON.stringify(result.config)).not.toContain('s3cr3t-value');
    const policy = result.config.policies['upstream-auth']!;
    expect(policy.secrets).toEqual(['UPSTREAM_TOKEN']);
    // Env references resolved, the secret kept, the literal `${` escaped for the data plane.
    expect(policy.options).toEqual({
      set: { authorization: 'Bearer ${secret.UPSTREAM_TOKEN}', 'x-env': 'prod $${literal}' },
    });
    expect(fillSecrets(policy.options, new Map([['UPSTREAM_TOKEN', 'v']]))).toEqual({
      set: { authorization: 'Bearer v', 'x-env': 'prod ${literal}' },
    });
    // A policy without secrets is compiled as before: validated, defaults applied.
    expect(result.config.policies.plain).toEqual({
      type: 'set-headers',
      mode: 'enforce',
      options: { set: { 'x-plain': 'yes' }, append: {}, remove: [] },
    });
  });

  it('gives the same hash whatever the secret value is', async () => {
    const first = await compileWith(config, { UPSTREAM_TOKEN: 'one' });
    const second = await compileWith(config, { UPSTREAM_TOKEN: 'two' });
    expect(first.ok && second.ok && first.hash === second.hash).toBe(true);
  });

  it('refuses a secret the environment does not have, naming the ones it has', async () => {
    const result = await compileWith(config, { OTHER: 'x' });
    expect(result.ok ? [] : result.errors.map(formatCompileError)).toEqual([
      'edgeway.yaml:10:32: $.policies[\'upstream-auth\'].options.set.authorization: secret "UPSTREAM_TOKEN" is not set in environment "production" (set: OTHER); expected it set with `edgeway secrets set UPSTREAM_TOKEN --environment production`',
    ]);
  });

  it('checks the value where it is used, without showing it', async () => {
    const result = await compileWith(config, { UPSTREAM_TOKEN: 'line\r\nx-injected: 1' });
    const errors = result.ok ? [] : result.errors.map(formatCompileError);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('a header value cannot contain CR, LF or NUL');
    expect(errors[0]).not.toContain('x-injected');
  });

  it('accepts references by name when the values are not known (local validation)', async () => {
    const result = await compileWith(config);
    expect(result.ok && result.secrets).toEqual(['UPSTREAM_TOKEN']);
  });

  it('refuses secrets outside policy options', async () => {
    const text = lines([
      'version: 1',
      'upstreams:',
      '  api: { url: "http://127.0.0.1:9000/${secret.PATH_TOKEN}" }',
      'routes:',
      '  - path: /x',
      '    mock: { body: "${secret.BODY}" }',
      '  - path: /api',
      '    upstream: api',
    ]);
    const result = await compileWith(text, { PATH_TOKEN: 'a', BODY: 'b' });
    expect(result.ok ? [] : result.errors.map(formatCompileError)).toEqual([
      'edgeway.yaml:3:38: $.upstreams.api.url: ${secret.PATH_TOKEN} is outside policy options; expected secrets only under policies.<name>.options, so they are never written into routes, upstreams or hosts',
      'edgeway.yaml:6:20: $.routes[0].mock.body: ${secret.BODY} is outside policy options; expected secrets only under policies.<name>.options, so they are never written into routes, upstreams or hosts',
    ]);
  });

  it('checks a constrained field with the value, and leaves it to the control plane without one', async () => {
    const text = lines([
      'version: 1',
      'policies:',
      '  users:',
      '    type: jwt-auth',
      '    options:',
      '      issuer: https://login.example.com/',
      '      audience: api',
      '      algorithms: [HS256]',
      '      keys: { secret: "${secret.JWT_SECRET}" }',
      'routes:',
      '  - path: /x',
      '    inbound: [users]',
      '    mock: { body: ok }',
    ]);
    const local = await compileWith(text);
    expect(local.ok && local.config.policies.users).toMatchObject({
      type: 'jwt-auth',
      secrets: ['JWT_SECRET'],
    });
    expect((await compileWith(text, { JWT_SECRET: 'x'.repeat(32) })).ok).toBe(true);
    const short = await compileWith(text, { JWT_SECRET: 'too-short' });
    const errors = short.ok ? [] : short.errors.map(formatCompileError);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^edgeway\.yaml:9:\d+: \$\.policies\.users\.options\.keys\.secret: /);
    expect(errors[0]).not.toContain('too-short');
  });
});
