/**
 * The headers a proxied request carries upstream. Whatever the client sent about the
 * path it took (`Forwarded`, `X-Forwarded-*`, `X-Real-IP`) is dropped, because a client
 * can write anything there; the gateway states its own view instead: the client IP from
 * Cloudflare's `CF-Connecting-IP`, the scheme and the Host the client used.
 */
import { withoutHopByHop } from './hop-by-hop.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

function isClientClaim(name: string): boolean {
  return name === 'forwarded' || name === 'x-real-ip' || name.startsWith('x-forwarded-');
}

export function upstreamRequestHeaders(request: Request, url: URL, requestId: string): Headers {
  const headers = withoutHopByHop(request.headers);
  const claims: string[] = [];
  for (const name of headers.keys()) if (isClientClaim(name)) claims.push(name);
  for (const name of claims) headers.delete(name);

  const clientIp = request.headers.get('cf-connecting-ip');
  if (clientIp) headers.set('x-forwarded-for', clientIp);
  headers.set('x-forwarded-proto', url.protocol.slice(0, -1));
  headers.set('x-forwarded-host', request.headers.get('host') ?? url.host);
  // fetch() derives Host from the upstream URL.
  headers.delete('host');
  headers.set(REQUEST_ID_HEADER, requestId);
  return headers;
}
