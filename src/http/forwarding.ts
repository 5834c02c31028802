/**
 * The headers a proxied request carries upstream. Whatever the client sent about the
 * path it took (`Forwarded`, `X-Forwarded-*`, `X-Real-IP`) is dropped, because a client
 * can write anything there; the gateway states its own view instead: the client IP from
 * Cloudflare's `CF-Connecting-IP`, the scheme and the Host the client used. `Host`
 * itself is dropped too: fetch() derives it from the upstream URL.
 *
 * Built in one pass: one copy of the request's fields, then one walk over their names
 * deleting what must not travel (hop-by-hop, client claims, Host), then the gateway's own.
 */
import { deleteFields, hopByHopFilter } from './hop-by-hop.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';
import type { UrlParts } from './url-parts.ts';

function isClientClaim(name: string): boolean {
  return name === 'forwarded' || name === 'x-real-ip' || name.startsWith('x-forwarded-');
}

export function upstreamRequestHeaders(request: Request, url: UrlParts, requestId: string): Headers {
  const incoming = request.headers;
  const headers = new Headers(incoming);
  const isHopByHop = hopByHopFilter(incoming);
  deleteFields(headers, incoming, (name) => name === 'host' || isHopByHop(name) || isClientClaim(name));

  const clientIp = incoming.get('cf-connecting-ip');
  if (clientIp) headers.set('x-forwarded-for', clientIp);
  headers.set('x-forwarded-proto', url.scheme);
  headers.set('x-forwarded-host', incoming.get('host') ?? url.host);
  headers.set(REQUEST_ID_HEADER, requestId);
  return headers;
}
