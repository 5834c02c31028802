/**
 * The rate-limit key of a client address. The address is Cloudflare's `CF-Connecting-IP`
 * only (DESIGN.md "Security rules"): X-Forwarded-For and X-Real-IP are whatever the
 * client wrote. An IPv4 address is its own key; an IPv6 address counts by its /64,
 * because one subscriber is usually given a whole /64 (RFC 6177) and could otherwise
 * take a fresh address for every request. An IPv4-mapped IPv6 address (RFC 4291
 * §2.5.5.2) counts as the IPv4 address it maps.
 */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

function parseIpv4(text: string): number[] | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** The 8 hextets of an IPv6 address in RFC 4291 §2.2 text form, or undefined. */
function parseIpv6(text: string): number[] | undefined {
  let groups = text.split('::');
  if (groups.length > 2) return undefined;
  let tail: number[] = [];
  const last = text.lastIndexOf(':');
  if (text.includes('.', last)) {
    // A trailing dotted quad stands for the last two hextets.
    const octets = parseIpv4(text.slice(last + 1));
    if (!octets) return undefined;
    tail = [(octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!];
    groups = text.slice(0, last + 1).split('::');
    groups[groups.length - 1] = groups.at(-1)!.replace(/:$/, '');
  }
  const parts = groups.map((group) => (group === '' ? [] : group.split(':')));
  if (!parts.every((list) => list.every((part) => HEXTET.test(part)))) return undefined;
  const [head = [], rest = []] = parts.map((list) => list.map((part) => Number.parseInt(part, 16)));
  const written = head.length + rest.length + tail.length;
  if (groups.length === 1) return written === 8 ? [...head, ...tail] : undefined;
  if (written > 7) return undefined;
  return [...head, ...new Array<number>(8 - written).fill(0), ...rest, ...tail];
}

/** `203.0.113.7` as is, `2001:db8:1:2::/64` for any address of that /64; undefined if not an address. */
export function clientAddressKey(address: string): string | undefined {
  const text = address.trim().toLowerCase();
  const v4 = parseIpv4(text);
  if (v4) return v4.join('.');
  const v6 = parseIpv6(text);
  if (!v6) return undefined;
  const mapped = v6.slice(0, 5).every((hextet) => hextet === 0) && v6[5] === 0xffff;
  if (mapped) return [v6[6]! >> 8, v6[6]! & 0xff, v6[7]! >> 8, v6[7]! & 0xff].join('.');
  return `${v6
    .slice(0, 4)
    .map((hextet) => hextet.toString(16))
    .join(':')}::/64`;
}
