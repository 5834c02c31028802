/**
 * The hostname a request is for, as host lookups and host-limited routes compare it:
 * the Host header (RFC 9110 §7.2) lowercased, without its port.
 */

export function hostnameOf(host: string): string {
  const lower = host.toLowerCase();
  // An IPv6 literal keeps its brackets; its colons are not a port separator.
  const portAfter = lower.startsWith('[') ? lower.indexOf(']') + 1 : 0;
  const colon = lower.indexOf(':', portAfter);
  return colon === -1 ? lower : lower.slice(0, colon);
}
