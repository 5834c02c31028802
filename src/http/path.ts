/**
 * Request path normalisation, done once per request so that routing, policies and
 * forwarding all see the same path (DESIGN.md "Security rules").
 *
 * The input is a WHATWG `URL.pathname`: the parser has already removed dot segments
 * (including their `%2E` spellings) and turned `\` into `/`. This adds the rest of
 * RFC 3986 §6.2.2: percent-encoded unreserved characters are decoded (§2.3), remaining
 * escapes are upper-cased (§6.2.2.1), and repeated slashes are collapsed. Escapes that
 * would change how the path splits into segments, or that upstreams commonly mishandle,
 * are rejected rather than guessed at.
 */

export type PathRejection = 'encoded-slash' | 'encoded-backslash' | 'encoded-nul' | 'malformed-escape';

export type NormalisedPath =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly reason: PathRejection };

/** RFC 3986 §2.3: ALPHA / DIGIT / "-" / "." / "_" / "~". */
const UNRESERVED = /^[A-Za-z0-9._~-]$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

const REJECTED_BYTES: ReadonlyMap<number, PathRejection> = new Map([
  [0x2f, 'encoded-slash'],
  [0x5c, 'encoded-backslash'],
  [0x00, 'encoded-nul'],
]);

export function normalisePath(pathname: string): NormalisedPath {
  if (!pathname.includes('%') && !pathname.includes('//')) return { ok: true, path: pathname };
  let path = '';
  for (let i = 0; i < pathname.length; i++) {
    const char = pathname[i]!;
    if (char === '/') {
      if (!path.endsWith('/')) path += '/';
    } else if (char === '%') {
      const hex = pathname.slice(i + 1, i + 3);
      if (!HEX_PAIR.test(hex)) return { ok: false, reason: 'malformed-escape' };
      const byte = Number.parseInt(hex, 16);
      const rejection = REJECTED_BYTES.get(byte);
      if (rejection) return { ok: false, reason: rejection };
      const decoded = String.fromCharCode(byte);
      path += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
      i += 2;
    } else {
      path += char;
    }
  }
  return { ok: true, path };
}
