/**
 * The compiler on good input: golden files for the examples (UPDATE_GOLDEN=1 rewrites
 * them), determinism, `${env.NAME}` resolution, the shape of an error, and warnings.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${env.NAME} is config-language syntax, not a template.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/config/canonical.ts';
import { CompiledConfigSchema } from '../../../src/config/compiled.ts';
import { type CompileInput, compile, formatCompileError, formatCompileWarning } from './index.ts';
import { lines } from './test-support.ts';

const quickstart = readFileSync(
  new URL('../../../examples/quickstart/edgeway.yaml', import.meta.url),
  'utf8',
);

async function compileOk(input: CompileInput) {
  const result = await compile(input);
  if (!result.ok) throw new Error(result.errors.map(formatCompileError).join('\n'));
  return result;
}

describe.each(['production', 'staging'])('examples/quickstart for %s', (environment) => {
  // Compared as canonical JSON, so reformatting a golden file (biome does) does not fail the test.
  it('matches its golden file', async () => {
    const { config } = await compileOk({ files: { 'edgeway.yaml': quickstart }, environment });
    const golden = new URL(`./golden/quickstart.${environment}.json`, import.meta.url);
    if (process.env.UPDATE_GOLDEN)
      writeFileSync(golden, `${JSON.stringify(JSON.parse(canonicalJson(config)), null, 2)}\n`);
    expect(canonicalJson(config)).toBe(canonicalJson(JSON.parse(readFileSync(golden, 'utf8'))));
  });

  it('is a valid compiled config', async () => {
    const { config } = await compileOk({ files: { 'edgeway.yaml': quickstart }, environment });
    expect(CompiledConfigSchema.safeParse(config).success).toBe(true);
  });

  it('has no warnings', async () => {
    const { warnings } = await compileOk({ files: { 'edgeway.yaml': quickstart }, environment });
    expect(warnings).toEqual([]);
  });
});

describe('determinism', () => {
  // The same config twice; map keys (and host order) differ, every route item starts at the same place.
  const original = [
    'version: 1',
    'upstreams:',
    '  alpha: { url: "https://a.example/", timeoutMs: 5000 }',
    '  beta: { url: "https://b.example" }',
    'policies:',
    '  one: { type: set-headers, options: { set: { x-b: "2", x-a: "1" } } }',
    '  two: { type: set-headers, mode: report }',
    'routes:',
    '  - path: /a',
    '    upstream: alpha',
    '    inbound: [one, two]',
    '  - { path: /b, mock: { status: 201, body: hi } }',
    'environments:',
    '  production: { hosts: [b.example, a.example, b.example], vars: { X: "1", Y: "2" } }',
  ];
  const reordered = [
    'version: 1',
    'policies:',
    '  two: { mode: report, type: set-headers }',
    '  one: { options: { set: { x-a: "1", x-b: "2" } }, type: set-headers }',
    'upstreams:',
    '  beta: { url: "https://b.example" }',
    '  alpha: { timeoutMs: 5000, url: "https://a.example/" }',
    'routes:',
    '  - inbound: [one, two]',
    '    upstream: alpha',
    '    path: /a',
    '  - { mock: { body: hi, status: 201 }, path: /b }',
    'environments:',
    '  production: { vars: { Y: "2", X: "1" }, hosts: [a.example, b.example] }',
  ];
  const input = (text: string[]) => ({ files: { 'edgeway.yaml': lines(text) }, environment: 'production' });

  it('gives byte-identical output and the same hash for the same input', async () => {
    const [first, second] = await Promise.all([compileOk(input(original)), compileOk(input(original))]);
    expect(canonicalJson(second.config)).toBe(canonicalJson(first.config));
    expect(second.hash).toBe(first.hash);
    expect(first.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives the same hash whatever the order of map keys', async () => {
    const [first, second] = await Promise.all([compileOk(input(original)), compileOk(input(reordered))]);
    expect(canonicalJson(second.config)).toBe(canonicalJson(first.config));
    expect(second.hash).toBe(first.hash);
    expect(first.config.hosts).toEqual(['a.example', 'b.example']);
    expect(first.config.upstreams.alpha?.url).toBe('https://a.example');
  });
});

describe('${env.NAME}', () => {
  it('resolves references, keeps $${ as a literal ${ and leaves vars themselves alone', async () => {
    const text = [
      'version: 1',
      'routes:',
      '  - path: /x',
      '    mock: { body: "${env.A}-${env.B} $${env.A}", headers: { x-a: "${env.A}" } }',
      'environments:',
      '  production: { vars: { A: "a", B: "${env.A}" } }',
    ];
    const { config } = await compileOk({ files: { 'edgeway.yaml': lines(text) }, environment: 'production' });
    expect(config.routes[0]?.handler).toEqual({
      type: 'mock',
      status: 200,
      headers: { 'x-a': 'a' },
      body: 'a-${env.A} ${env.A}',
    });
  });

  it('takes top-level vars as defaults that an environment overrides', async () => {
    const text = [
      'version: 1',
      'vars: { A: "default-a", B: "default-b" }',
      'routes:',
      '  - path: /x',
      '    mock: { body: "${env.A} ${env.B}" }',
      'environments:',
      '  production: { vars: { A: "production-a" } }',
    ];
    const bodyIn = async (environment: string) => {
      const { config } = await compileOk({ files: { 'edgeway.yaml': lines(text) }, environment });
      return config.routes[0]?.handler.type === 'mock' ? config.routes[0].handler.body : undefined;
    };
    expect(await bodyIn('production')).toBe('production-a default-b');
    expect(await bodyIn('feature-x')).toBe('default-a default-b');
  });

  it('lets the vars given with the input override both, and fill names the config lacks', async () => {
    const text = [
      'version: 1',
      'vars: { A: "default-a", B: "default-b", C: "default-c" }',
      'routes:',
      '  - path: /x',
      '    mock: { body: "${env.A} ${env.B} ${env.C} ${env.D}" }',
      'environments:',
      '  production: { vars: { A: "production-a", B: "production-b" } }',
    ];
    const { config } = await compileOk({
      files: { 'edgeway.yaml': lines(text) },
      environment: 'production',
      vars: { B: 'api-b', D: 'api-d' },
    });
    const [route] = config.routes;
    expect(route?.handler.type === 'mock' && route.handler.body).toBe('production-a api-b default-c api-d');
  });

  it('compiles for an environment that is not declared: no vars and no hosts', async () => {
    const { config } = await compileOk({
      files: { 'edgeway.yaml': quickstart.replaceAll('${env.DEMO_URL}', 'http://127.0.0.1:8789') },
      environment: 'preview-7',
    });
    expect(config.hosts).toEqual([]);
  });
});

describe('errors', () => {
  it('carry file, 1-based line and column, JSON path and message', async () => {
    const text = [
      'version: 1',
      'upstreams:',
      '  demo: { url: "https://example.com" }',
      'routes:',
      '  - path: /x',
      '    upstream: dmo',
    ];
    const result = await compile({ files: { 'edgeway.yaml': lines(text) }, environment: 'production' });
    const error = {
      file: 'edgeway.yaml',
      line: 6,
      column: 15,
      path: '$.routes[0].upstream',
      message: 'unknown upstream "dmo"; expected one of: demo',
    };
    expect(result).toEqual({ ok: false, errors: [error] });
    expect(formatCompileError(error)).toBe(
      'edgeway.yaml:6:15: $.routes[0].upstream: unknown upstream "dmo"; expected one of: demo',
    );
  });
});

describe('warnings', () => {
  it('name each upstream and policy no route uses, at its key, and still compile', async () => {
    const text = [
      'version: 1',
      'upstreams:',
      '  used: { url: "https://example.com" }',
      '  spare: { url: "https://example.org" }',
      'policies:',
      '  tag: { type: set-headers, options: { set: { x-a: "1" } } }',
      '  idle: { type: set-headers, options: { set: { x-b: "2" } } }',
      'routes:',
      '  - path: /x',
      '    upstream: used',
      '    inbound: [tag]',
    ];
    const { warnings } = await compileOk({
      files: { 'edgeway.yaml': lines(text) },
      environment: 'production',
    });
    expect(warnings.map(formatCompileWarning)).toEqual([
      'edgeway.yaml:4:3: warning: $.upstreams.spare: upstream "spare" is not used by any route; expected a route that names it, or remove it',
      'edgeway.yaml:7:3: warning: $.policies.idle: policy "idle" is not used by any route; expected a route that names it, or remove it',
    ]);
  });
});
