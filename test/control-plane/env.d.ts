/** Bindings the vitest config adds to the control plane's test runtime. */
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** A producer for the edgeway-analytics Queue (vitest.config.ts), as the data plane has. */
    ANALYTICS: Queue;
  }
}
