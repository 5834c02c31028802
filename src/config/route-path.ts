/**
 * Route path patterns such as `/users/:id/*`. One parser serves both the schema (so a
 * bad pattern is reported with the segment at fault) and the compiler (which stores the
 * parsed segments in the deployment for the data plane's route index).
 */
import type { PathSegment } from './compiled.ts';

export type ParsedRoutePath =
  | { readonly ok: true; readonly segments: PathSegment[] }
  | { readonly ok: false; readonly message: string };

const PATH_START_MESSAGE = 'expected a path starting with "/"';
const EMPTY_SEGMENT_MESSAGE =
  'empty path segment; expected segments separated by single "/" and no trailing "/"';
const WILDCARD_LAST_MESSAGE = 'wildcard "*" is not the last segment; expected "*" only at the end';

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * RFC 3986 pchar without percent-escapes: the data plane matches the normalised path, in
 * which unreserved characters are decoded, so an escape in a literal could never match.
 */
const LITERAL = /^[A-Za-z0-9\-._~!$&'()+,;=:@]+$/;
const LITERAL_MESSAGE = "expected letters, digits or -._~!$&'()+,;=:@ (no percent-escapes)";
/** Dot segments are resolved away in request paths (RFC 3986 §5.2.4). */
const DOT_SEGMENTS = new Set(['.', '..']);

export function parseRoutePath(path: string): ParsedRoutePath {
  if (!path.startsWith('/')) return invalid(PATH_START_MESSAGE);
  if (path === '/') return { ok: true, segments: [] };
  const parts = path.slice(1).split('/');
  const segments: PathSegment[] = [];
  const params = new Set<string>();
  for (const [index, part] of parts.entries()) {
    if (part === '') return invalid(EMPTY_SEGMENT_MESSAGE);
    if (part === '*') {
      if (index !== parts.length - 1) return invalid(WILDCARD_LAST_MESSAGE);
      segments.push({ kind: 'wildcard' });
    } else if (part.startsWith(':')) {
      const name = part.slice(1);
      if (!PARAM_NAME.test(name)) {
        return invalid(`invalid parameter name "${name}"; expected a name matching [A-Za-z_][A-Za-z0-9_]*`);
      }
      if (params.has(name)) return invalid(`duplicate parameter ":${name}"; expected unique parameter names`);
      params.add(name);
      segments.push({ kind: 'param', name });
    } else {
      if (!LITERAL.test(part) || DOT_SEGMENTS.has(part)) {
        return invalid(`invalid path segment "${part}"; ${LITERAL_MESSAGE}`);
      }
      segments.push({ kind: 'static', value: part });
    }
  }
  return { ok: true, segments };
}

function invalid(message: string): ParsedRoutePath {
  return { ok: false, message };
}
