/**
 * The upstreams the data-plane tests proxy to, as the global setup provides them to the
 * workerd test runtime. Kept free of Node imports: the workerd tests import it too.
 */
export interface DataPlaneUpstreams {
  /** The demo upstream: echoes method, path, query, headers and body as JSON. */
  readonly echo: string;
  /** Misbehaves on purpose; see test/support/data-plane-upstreams.ts. */
  readonly quirky: string;
  /** A port nothing listens on. */
  readonly unreachable: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    dataPlaneUpstreams: DataPlaneUpstreams;
  }
}
