/**
 * What the gateway serves in the benchmark: one route, `/bench/*`, proxied to the demo
 * upstream, with one set-headers instance on the request and one on the response. The
 * functional check looks for both headers, so a gateway that skips its policies fails.
 */
export const ENVIRONMENT = 'production';
export const BENCH_PATH = '/bench/echo';

export const REQUEST_HEADER = { name: 'x-bench-request', value: 'set-by-gateway' } as const;
export const RESPONSE_HEADER = { name: 'x-bench-response', value: 'set-by-gateway' } as const;

/** The config repo's `edgeway.yaml`, as a user would write it. */
export function benchConfigYaml(upstreamUrl: string): string {
  return `version: 1

upstreams:
  bench:
    url: \${env.UPSTREAM_URL}
    timeoutMs: 10000

policies:
  tag-request:
    type: set-headers
    options:
      set:
        ${REQUEST_HEADER.name}: ${REQUEST_HEADER.value}
  tag-response:
    type: set-headers
    options:
      set:
        ${RESPONSE_HEADER.name}: ${RESPONSE_HEADER.value}

routes:
  - path: /bench/*
    upstream: bench
    inbound: [tag-request]
    outbound: [tag-response]

environments:
  ${ENVIRONMENT}:
    vars:
      UPSTREAM_URL: ${upstreamUrl}
`;
}
