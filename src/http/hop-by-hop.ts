/**
 * Hop-by-hop header removal, applied to requests sent upstream and to responses sent
 * back. RFC 9110 §7.6.1: a proxy removes `Connection`, every field it names, and the
 * fields that are connection-specific by definition.
 */

const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
] as const;

/** RFC 9110 §5.1 field-name token; anything else in `Connection` names no field. */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A mutable copy of `source` without hop-by-hop fields. */
export function withoutHopByHop(source: Headers): Headers {
  const headers = new Headers(source);
  const connection = headers.get('connection');
  if (connection !== null) {
    for (const token of connection.split(',')) {
      const name = token.trim();
      if (FIELD_NAME.test(name)) headers.delete(name);
    }
  }
  for (const name of HOP_BY_HOP) headers.delete(name);
  return headers;
}
