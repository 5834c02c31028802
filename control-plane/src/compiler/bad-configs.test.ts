/** Bad config files, YAML and top-level sections: each rejected with exact locations and messages. */
import { describe, expect, it } from 'vitest';
import { type BadConfig, compileErrors, lines } from './test-support.ts';

const TOP_LEVEL_KEYS = '$schema, version, upstreams, policies, routes, vars, environments';

const cases: BadConfig[] = [
  {
    name: 'no config file',
    files: { 'README.md': '# hi' },
    errors: [
      'edgeway.yaml:1:1: $: no config file; expected edgeway.yaml or edgeway.json at the root of the repository',
    ],
  },
  {
    name: 'both edgeway.yaml and edgeway.json',
    files: { 'edgeway.yaml': 'version: 1\n', 'edgeway.json': '{ "version": 1 }\n' },
    errors: ['edgeway.json:1:1: $: both edgeway.yaml and edgeway.json exist; expected exactly one of them'],
  },
  {
    name: 'edgeway.json with errors, located in the JSON text',
    files: {
      'edgeway.json': lines([
        '{',
        '  "version": 1,',
        '  "upstreams": {',
        '    "demo": { "url": "https://example.com", "timeoutMs": -1 }',
        '  },',
        '  "extra": true',
        '}',
      ]),
    },
    errors: [
      'edgeway.json:4:58: $.upstreams.demo.timeoutMs: expected an integer from 1 to 300000',
      `edgeway.json:6:3: $.extra: unknown key "extra"; expected one of: ${TOP_LEVEL_KEYS}`,
    ],
  },
  {
    name: 'YAML syntax error',
    yaml: ['version: 1', 'routes: [', '  - path: /x'],
    errors: [
      'edgeway.yaml:3:3: $.routes[0]: syntax error: Block collections are not allowed within flow collections',
      'edgeway.yaml:4:1: $: syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  },
  {
    name: 'duplicate key',
    yaml: [
      'version: 1',
      'upstreams:',
      '  a: { url: "https://a.example" }',
      '  a: { url: "https://b.example" }',
    ],
    errors: ['edgeway.yaml:4:3: $.upstreams.a: duplicate key "a"; expected each key once in a map'],
  },
  {
    name: 'aliases expanding past the limit',
    yaml: [
      'version: 1',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
    ],
    errors: [
      'edgeway.yaml:1:1: $: syntax error: Excessive alias count indicates a resource exhaustion attack',
    ],
  },
  { name: 'empty file', yaml: [], errors: ['edgeway.yaml:1:1: $: expected a map, got null'] },
  {
    name: 'missing version, located at the map that lacks it',
    yaml: ['# a comment', 'upstreams: {}'],
    errors: ['edgeway.yaml:2:1: $.version: missing required key "version"; expected 1'],
  },
  {
    name: 'wrong version',
    yaml: ['version: 2'],
    errors: ['edgeway.yaml:1:10: $.version: expected 1, got 2'],
  },
  {
    name: 'unknown top-level key, located at the key',
    yaml: ['version: 1', 'upstream: {}'],
    errors: [`edgeway.yaml:2:1: $.upstream: unknown key "upstream"; expected one of: ${TOP_LEVEL_KEYS}`],
  },
  {
    name: 'upstream url that is not http(s)',
    yaml: ['version: 1', 'upstreams:', '  demo:', '    url: ftp://example.com'],
    errors: [
      'edgeway.yaml:4:10: $.upstreams.demo.url: expected an absolute http or https URL such as https://api.example.com',
    ],
  },
  {
    name: 'upstream url with userinfo',
    yaml: ['version: 1', 'upstreams:', '  demo:', '    url: https://user:secret@example.com'],
    errors: [
      'edgeway.yaml:4:10: $.upstreams.demo.url: expected a URL without userinfo (user:password@); credentials do not belong in config',
    ],
  },
  {
    name: 'upstream url with a query or a fragment',
    yaml: [
      'version: 1',
      'upstreams:',
      '  a: { url: "https://example.com/?v=1" }',
      '  b: { url: "https://example.com/#top" }',
    ],
    errors: [
      'edgeway.yaml:3:13: $.upstreams.a.url: expected a URL without a query ("?...")',
      'edgeway.yaml:4:13: $.upstreams.b.url: expected a URL without a fragment ("#...")',
    ],
  },
  {
    name: 'bad timeoutMs',
    yaml: [
      'version: 1',
      'upstreams:',
      '  a: { url: "https://a.example", timeoutMs: 0 }',
      '  b: { url: "https://b.example", timeoutMs: 5s }',
    ],
    errors: [
      'edgeway.yaml:3:45: $.upstreams.a.timeoutMs: expected an integer from 1 to 300000',
      'edgeway.yaml:4:45: $.upstreams.b.timeoutMs: expected an integer from 1 to 300000',
    ],
  },
  {
    name: 'upstream name that is not a name, located at the key',
    yaml: ['version: 1', 'upstreams:', '  Demo:', '    url: https://example.com'],
    errors: [
      'edgeway.yaml:3:3: $.upstreams.Demo: expected a name of 1-63 characters: a lowercase letter, then lowercase letters, digits or hyphens',
    ],
  },
  {
    name: 'unknown policy type, and a policy without one',
    yaml: ['version: 1', 'policies:', '  a:', '    type: set-header', '  b:', '    mode: report'],
    errors: [
      'edgeway.yaml:4:11: $.policies.a.type: unknown policy type "set-header"; expected one of: api-key-auth, basic-auth, jwt-auth, mtls-auth, oauth-introspection, quota, rate-limit, require-consumer, set-headers',
      'edgeway.yaml:6:5: $.policies.b.type: missing required key "type"; expected one of: api-key-auth, basic-auth, jwt-auth, mtls-auth, oauth-introspection, quota, rate-limit, require-consumer, set-headers',
    ],
  },
  {
    name: 'bad policy options, located at the value and at the key',
    yaml: [
      'version: 1',
      'policies:',
      '  tag:',
      '    type: set-headers',
      '    options:',
      '      set:',
      '        x-ok: fine',
      '        x-bad: "one\\r\\ntwo"',
      '        bad name: x',
    ],
    errors: [
      "edgeway.yaml:8:16: $.policies.tag.options.set['x-bad']: a header value cannot contain CR, LF or NUL",
      "edgeway.yaml:9:9: $.policies.tag.options.set['bad name']: a header name is an RFC 9110 token (letters, digits, !#$%&'*+.^_`|~-)",
    ],
  },
  {
    name: 'unknown policy mode',
    yaml: ['version: 1', 'policies:', '  tag: { type: set-headers, mode: enforced }'],
    errors: [
      'edgeway.yaml:3:35: $.policies.tag.mode: unknown value "enforced"; expected one of: enforce, report',
    ],
  },
];

describe('bad config files and sections', () => {
  it.each(cases)('$name', async (config) => {
    expect(await compileErrors(config)).toEqual(config.errors);
  });
});
