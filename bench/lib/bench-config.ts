/**
 * What the gateway serves in the benchmark: `/bench/*`, proxied to the demo upstream,
 * with one set-headers instance on the request and one on the response (the functional
 * check looks for both headers, so a gateway that skips its policies fails); and, for the
 * rate-limit table, four more proxied routes: without a limit, with a strict and an async
 * limit that are never reached at this machine's rates, and with a limit that is
 * exceeded from the second request on. Each limit counts the whole route (one object).
 */
export const ENVIRONMENT = 'production';
export const BENCH_PATH = '/bench/echo';

export const REQUEST_HEADER = { name: 'x-bench-request', value: 'set-by-gateway' } as const;
export const RESPONSE_HEADER = { name: 'x-bench-response', value: 'set-by-gateway' } as const;

/** The rate-limit table's routes, by the kind of limit each has. */
export const LIMIT_PATHS = {
  none: '/limits/none/echo',
  strict: '/limits/strict/echo',
  async: '/limits/async/echo',
  exceeded: '/limits/exceeded/echo',
} as const;
/** Far above the gateway's rate here, so never reached. */
const UNREACHED_PER_SECOND = 100_000;

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
  limit-strict:
    type: rate-limit
    options:
      key: { by: route }
      onError: deny
      limits: [{ requests: ${UNREACHED_PER_SECOND}, window: 1s }]
  limit-async:
    type: rate-limit
    options:
      key: { by: route }
      onError: deny
      mode: async
      limits: [{ requests: ${UNREACHED_PER_SECOND}, window: 1s }]
  limit-exceeded:
    type: rate-limit
    options:
      key: { by: route }
      onError: deny
      limits: [{ requests: 1, window: 1d }]

routes:
  - path: /bench/*
    upstream: bench
    inbound: [tag-request]
    outbound: [tag-response]
  - path: /limits/none/*
    upstream: bench
  - path: /limits/strict/*
    upstream: bench
    inbound: [limit-strict]
  - path: /limits/async/*
    upstream: bench
    inbound: [limit-async]
  - path: /limits/exceeded/*
    upstream: bench
    inbound: [limit-exceeded]

environments:
  ${ENVIRONMENT}:
    vars:
      UPSTREAM_URL: ${upstreamUrl}
`;
}
