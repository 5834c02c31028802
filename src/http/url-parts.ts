/**
 * The parts of a request's URL the proxy needs, read from `request.url` without parsing
 * it again. The runtime gives every Request its URL already parsed and serialized (WHATWG
 * URL), so the string has one known shape: `scheme://authority/path?query#fragment`,
 * with a path that starts with `/` for http(s) and no `/` inside the authority. The
 * path was normalised when the request was routed (src/http/path.ts), so the proxy
 * forwards exactly the path routing saw.
 */

export interface UrlParts {
  /** `http` or `https`, without the colon. */
  readonly scheme: string;
  /** `host[:port]`, without userinfo. */
  readonly host: string;
  /**
   * Path and query as `URL.pathname + URL.search` give them (no fragment; an empty
   * query, a bare `?`, is dropped): what the proxy appends to the upstream URL.
   */
  readonly pathAndQuery: string;
}

export function urlParts(serialized: string): UrlParts {
  const colon = serialized.indexOf(':');
  const authorityStart = colon + 3;
  const pathStart = serialized.indexOf('/', authorityStart);
  const hash = serialized.indexOf('#', pathStart);
  let end = hash === -1 ? serialized.length : hash;
  if (serialized.indexOf('?', pathStart) === end - 1) end--;
  const userinfoEnd = serialized.lastIndexOf('@', pathStart);
  return {
    scheme: serialized.slice(0, colon),
    host: serialized.slice(Math.max(authorityStart, userinfoEnd + 1), pathStart),
    pathAndQuery: serialized.slice(pathStart, end),
  };
}
