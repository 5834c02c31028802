/**
 * edgeway.yaml texts for the CLI tests: a valid config that compiles for any environment
 * (no ${env} references), one that compiles only for the environment that sets its
 * variable, one with an unused upstream (a warning), and one with two errors at known places.
 */

export interface GatewayConfigOptions {
  /** Value of the x-config-tag response header: different tags, different deployments. */
  readonly tag?: string;
  /** Hosts claimed by environment name. */
  readonly hosts?: Readonly<Record<string, readonly string[]>>;
}

export function gatewayConfig(options: GatewayConfigOptions = {}): string {
  const environments = Object.entries(options.hosts ?? { production: [] })
    .map(([name, hosts]) => `  ${name}:\n    hosts: [${hosts.join(', ')}]`)
    .join('\n');
  return `version: 1
upstreams:
  api:
    url: http://127.0.0.1:9
policies:
  tag:
    type: set-headers
    options:
      set:
        x-config-tag: ${options.tag ?? 'one'}
routes:
  - path: /api/*
    upstream: api
    outbound: [tag]
  - path: /health
    methods: [GET]
    mock:
      body: ok
environments:
${environments}
`;
}

/** Compiles with one warning, for the upstream "spare" at line 3, column 3 that no route uses. */
export function configWithUnusedUpstream(): string {
  return gatewayConfig().replace('upstreams:\n', 'upstreams:\n  spare:\n    url: http://127.0.0.1:9\n');
}

export const UNUSED_UPSTREAM_WARNING = {
  file: 'edgeway.yaml',
  line: 3,
  column: 3,
  path: '$.upstreams.spare',
  message: 'upstream "spare" is not used by any route; expected a route that names it, or remove it',
};

/** Compiles for `environment` only: its upstream URL (line 4, column 10) is `${env.API_URL}`. */
export function configWithVariable(environment: string): string {
  return `version: 1
upstreams:
  api:
    url: \${env.API_URL}
routes:
  - path: /api/*
    upstream: api
environments:
  ${environment}:
    vars:
      API_URL: http://127.0.0.1:9
`;
}

/** Line 8 names an unknown upstream; line 10 an unknown policy. */
export const BROKEN_CONFIG = `version: 1
upstreams:
  api:
    url: http://127.0.0.1:9
policies: {}
routes:
  - path: /api/*
    upstream: apy
    outbound:
      - tag
`;

export const BROKEN_CONFIG_ERRORS = [
  'edgeway.yaml:8:15: $.routes[0].upstream: unknown upstream "apy"; expected one of: api',
  'edgeway.yaml:10:9: $.routes[0].outbound[0]: unknown policy "tag"; expected a name declared under "policies" (none are)',
];
