/** Bad routes, references and environment variables: each rejected with exact locations and messages. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${env.NAME} is config-language syntax, not a template.
import { describe, expect, it } from 'vitest';
import { type BadConfig, compileErrors } from './test-support.ts';

/** Lines 1-7: one upstream (`demo`) and one policy (`tag`); routes start at line 8. */
const HEAD = [
  'version: 1',
  'upstreams:',
  '  demo:',
  '    url: https://example.com',
  'policies:',
  '  tag:',
  '    type: set-headers',
];
const ROUTE_KEYS = 'path, methods, host, inbound, outbound, upstream, mock, redirect';

const cases: BadConfig[] = [
  {
    name: 'unknown key in a route, located at the key',
    yaml: [...HEAD, 'routes:', '  - path: /x', '    upstream: demo', '    method: [GET]'],
    errors: [`edgeway.yaml:11:5: $.routes[0].method: unknown key "method"; expected one of: ${ROUTE_KEYS}`],
  },
  {
    name: 'route without a path, located at the route',
    yaml: [...HEAD, 'routes:', '  - upstream: demo'],
    errors: ['edgeway.yaml:9:5: $.routes[0].path: missing required key "path"; expected a string'],
  },
  {
    name: 'percent-escape in a literal segment, which a normalised request path never has',
    yaml: [...HEAD, 'routes:', '  - path: /caf%C3%A9', '    upstream: demo'],
    errors: [
      `edgeway.yaml:9:11: $.routes[0].path: invalid path segment "caf%C3%A9"; expected letters, digits or -._~!$&'()+,;=:@ (no percent-escapes)`,
    ],
  },
  {
    name: 'dot segment, which request paths never contain',
    yaml: [...HEAD, 'routes:', '  - path: /a/../b', '    upstream: demo'],
    errors: [
      `edgeway.yaml:9:11: $.routes[0].path: invalid path segment ".."; expected letters, digits or -._~!$&'()+,;=:@ (no percent-escapes)`,
    ],
  },
  {
    name: 'route with two handlers',
    yaml: [...HEAD, 'routes:', '  - path: /x', '    upstream: demo', '    mock: {}'],
    errors: [
      'edgeway.yaml:9:5: $.routes[0]: route has 2 handlers (upstream, mock); expected exactly one of: upstream, mock, redirect',
    ],
  },
  {
    name: 'route with no handler',
    yaml: [...HEAD, 'routes:', '  - path: /x'],
    errors: [
      'edgeway.yaml:9:5: $.routes[0]: route has no handler; expected exactly one of: upstream, mock, redirect',
    ],
  },
  {
    name: 'wildcard that is not the last segment',
    yaml: [...HEAD, 'routes:', '  - path: /files/*/raw', '    upstream: demo'],
    errors: [
      'edgeway.yaml:9:11: $.routes[0].path: wildcard "*" is not the last segment; expected "*" only at the end',
    ],
  },
  {
    name: 'bad parameter name',
    yaml: [...HEAD, 'routes:', '  - path: /users/:1id', '    upstream: demo'],
    errors: [
      'edgeway.yaml:9:11: $.routes[0].path: invalid parameter name "1id"; expected a name matching [A-Za-z_][A-Za-z0-9_]*',
    ],
  },
  {
    name: 'empty path segment',
    yaml: [...HEAD, 'routes:', '  - path: /users/', '    upstream: demo'],
    errors: [
      'edgeway.yaml:9:11: $.routes[0].path: empty path segment; expected segments separated by single "/" and no trailing "/"',
    ],
  },
  {
    name: 'lower-case and unknown methods',
    yaml: [...HEAD, 'routes:', '  - path: /x', '    methods: [get, FETCH]', '    upstream: demo'],
    errors: [
      'edgeway.yaml:10:15: $.routes[0].methods[0]: method "get" is not upper case; expected "GET"',
      'edgeway.yaml:10:20: $.routes[0].methods[1]: unknown method "FETCH"; expected one of: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
    ],
  },
  {
    name: 'host that is not a lowercase hostname',
    yaml: [...HEAD, 'routes:', '  - path: /x', '    host: API.example.com', '    upstream: demo'],
    errors: [
      'edgeway.yaml:10:11: $.routes[0].host: expected a lowercase DNS hostname such as api.example.com',
    ],
  },
  {
    name: 'bad redirect location and status',
    yaml: [...HEAD, 'routes:', '  - path: /x', '    redirect: { location: "ftp://x", status: 304 }'],
    errors: [
      'edgeway.yaml:10:27: $.routes[0].redirect.location: expected an absolute http or https URL, or a path starting with "/"',
      'edgeway.yaml:10:46: $.routes[0].redirect.status: unknown value 304; expected one of: 301, 302, 303, 307, 308',
    ],
  },
  {
    name: 'unknown upstream in a route',
    yaml: [...HEAD, 'routes:', '  - path: /x', '    upstream: dmo'],
    errors: ['edgeway.yaml:10:15: $.routes[0].upstream: unknown upstream "dmo"; expected one of: demo'],
  },
  {
    name: 'unknown policies in a route',
    yaml: [
      ...HEAD,
      'routes:',
      '  - path: /x',
      '    upstream: demo',
      '    inbound: [tag, tga]',
      '    outbound: [gat]',
    ],
    errors: [
      'edgeway.yaml:11:20: $.routes[0].inbound[1]: unknown policy "tga"; expected one of: tag',
      'edgeway.yaml:12:16: $.routes[0].outbound[0]: unknown policy "gat"; expected one of: tag',
    ],
  },
  {
    name: 'duplicate route: same host and path shape, overlapping methods',
    yaml: [
      ...HEAD,
      'routes:',
      '  - path: /users/:id',
      '    methods: [GET, PUT]',
      '    upstream: demo',
      '  - path: /users/:name',
      '    methods: [PUT, DELETE]',
      '    mock: {}',
    ],
    errors: [
      'edgeway.yaml:12:5: $.routes[1]: route "PUT,DELETE /users/:name" overlaps route "GET,PUT /users/:id" at edgeway.yaml:9:5 (same host, path shape and methods); expected a different host, path or methods',
    ],
  },
  {
    name: 'env var the target environment lacks, located at the reference',
    yaml: [
      'version: 1',
      'upstreams:',
      '  demo:',
      '    url: https://${env.HOST}/api',
      'environments:',
      '  production:',
      '    vars: { PORT: "80", ZONE: eu }',
    ],
    errors: [
      'edgeway.yaml:4:18: $.upstreams.demo.url: variable "HOST" is not set in environment "production"; expected one of: PORT, ZONE',
    ],
  },
  {
    name: 'env var in an environment that is not declared, used twice in one string',
    environment: 'preview-42',
    yaml: ['version: 1', 'routes:', '  - path: /x', '    mock: { body: "${env.GREETING}, ${env.GREETING}" }'],
    errors: [
      'edgeway.yaml:4:20: $.routes[0].mock.body: variable "GREETING" is not set in environment "preview-42"; expected it under vars or environments.preview-42.vars (there are none)',
    ],
  },
  {
    name: 'malformed reference',
    yaml: ['version: 1', 'routes:', '  - path: /x', '    mock: { body: "a ${env.lower} b" }'],
    errors: [
      'edgeway.yaml:4:22: $.routes[0].mock.body: malformed reference "${env.lower}"; expected ${env.NAME} or ${secret.NAME} with NAME of upper-case letters, digits and underscores, or $${ for a literal ${',
    ],
  },
  {
    name: 'a resolved value is validated, and reported at the original string',
    yaml: [
      'version: 1',
      'upstreams:',
      '  demo:',
      '    url: ${env.URL}',
      'environments:',
      '  production:',
      '    vars: { URL: "ftp://example.com" }',
    ],
    errors: [
      'edgeway.yaml:4:10: $.upstreams.demo.url: expected an absolute http or https URL such as https://api.example.com',
    ],
  },
  {
    name: 'bad environments',
    yaml: [
      'version: 1',
      'environments:',
      '  staging:',
      '    hosts: [Staging.example.com]',
      '    vars: { lower: x, N: 5 }',
    ],
    errors: [
      'edgeway.yaml:4:13: $.environments.staging.hosts[0]: expected a lowercase DNS hostname such as api.example.com',
      'edgeway.yaml:5:13: $.environments.staging.vars.lower: expected a variable name of upper-case letters, digits and underscores',
      'edgeway.yaml:5:26: $.environments.staging.vars.N: expected a string, got a number',
    ],
  },
  {
    name: 'several errors at once: references, schema and links in one compile',
    yaml: [
      'version: 1',
      'upstreams:',
      '  demo:',
      '    url: ${env.API}',
      '    timeoutMs: 0',
      'routes:',
      '  - path: /a/*/b',
      '    upstream: demo',
      '  - path: /c',
      '    upstream: dmo',
      '    inbound: [tga]',
      'extra: true',
    ],
    errors: [
      'edgeway.yaml:4:10: $.upstreams.demo.url: variable "API" is not set in environment "production"; expected it under vars or environments.production.vars (there are none)',
      'edgeway.yaml:5:16: $.upstreams.demo.timeoutMs: expected an integer from 1 to 300000',
      'edgeway.yaml:7:11: $.routes[0].path: wildcard "*" is not the last segment; expected "*" only at the end',
      'edgeway.yaml:10:15: $.routes[1].upstream: unknown upstream "dmo"; expected one of: demo',
      'edgeway.yaml:11:15: $.routes[1].inbound[0]: unknown policy "tga"; expected a name declared under "policies" (none are)',
      'edgeway.yaml:12:1: $.extra: unknown key "extra"; expected one of: $schema, version, upstreams, policies, routes, vars, environments',
    ],
  },
];

describe('bad routes, references and variables', () => {
  it.each(cases)('$name', async (config) => {
    expect(await compileErrors(config)).toEqual(config.errors);
  });
});
