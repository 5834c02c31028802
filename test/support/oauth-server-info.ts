/**
 * The authorization server the oauth-introspection tests introspect tokens at, as its
 * global setup (oauth-server.ts) provides it to the workerd test runtime. Kept free of
 * Node imports: the workerd tests import it too.
 */
export interface OAuthServerInfo {
  /** Base URL on loopback, without a trailing slash; the endpoint is `${url}/introspect`. */
  readonly url: string;
  /** The client credentials the server accepts from the gateway. */
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What a test can make the server do when a token is introspected. */
export type IntrospectionBehaviour = 'answer' | 'error' | 'hang' | 'reset' | 'garbage';

declare module 'vitest' {
  interface ProvidedContext {
    oauthServer: OAuthServerInfo;
  }
}
