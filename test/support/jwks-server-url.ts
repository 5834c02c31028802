/**
 * The JWKS server the jwt-auth tests fetch keys from, as its global setup
 * (jwks-server.ts) provides it to the workerd test runtime. Kept free of Node imports:
 * the workerd tests import it too.
 */
declare module 'vitest' {
  interface ProvidedContext {
    /** Base URL of the JWKS server on loopback, without a trailing slash. */
    jwksServer: string;
  }
}

export {};
