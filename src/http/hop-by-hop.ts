/**
 * Hop-by-hop header removal, applied to requests sent upstream and to responses sent
 * back. RFC 9110 §7.6.1: a proxy removes `Connection`, every field it names, and the
 * fields that are connection-specific by definition.
 *
 * The test is a predicate over field names, so one walk over a message's names finds
 * everything to delete: the proxy drops hop-by-hop fields, client claims and Host from
 * the upstream request in the same pass (src/http/forwarding.ts).
 */

const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** RFC 9110 §5.1 field-name token; anything else in `Connection` names no field. */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A predicate over lowercased field names (Headers iterates names lowercased). */
export type FieldFilter = (name: string) => boolean;

/**
 * Which fields of `headers` are hop-by-hop: a predicate that also covers the fields
 * its `Connection` names, so a caller can test each name in the same pass it makes anyway.
 */
export function hopByHopFilter(headers: Headers): FieldFilter {
  const connection = headers.get('connection');
  if (connection === null) return isListedHopByHop;
  const named = new Set<string>();
  for (const token of connection.split(',')) {
    const name = token.trim();
    if (FIELD_NAME.test(name)) named.add(name.toLowerCase());
  }
  return (name) => HOP_BY_HOP.has(name) || named.has(name);
}

function isListedHopByHop(name: string): boolean {
  return HOP_BY_HOP.has(name);
}

/** Deletes from `target` every field of `source` that `drop` selects (`target` may be `source`). */
export function deleteFields(target: Headers, source: Headers, drop: FieldFilter): void {
  const dropped: string[] = [];
  for (const name of source.keys()) if (drop(name)) dropped.push(name);
  for (const name of dropped) target.delete(name);
}

/** Removes the hop-by-hop fields of `headers` in place; they must be mutable. */
export function stripHopByHop(headers: Headers): void {
  deleteFields(headers, headers, hopByHopFilter(headers));
}
