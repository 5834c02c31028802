/**
 * Route matching over a deployment's compiled route index (RouteIndexNode). The index is
 * turned into Map-based nodes once at load, so a request path segment can never reach an
 * object prototype key, and each route's parameter positions are worked out then too.
 *
 * Precedence: a static segment before a parameter before a wildcard tail, backtracking
 * when a branch yields no route for this host and method. A route limited to a host
 * matches only that host. If routes match the path but none allows the method, the
 * answer is "method not allowed" with the union of their methods.
 */
import type { RouteIndexNode } from '../config/compiled.ts';
import type { LoadedRoute } from '../pipeline/types.ts';

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: LoadedRoute; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'no-route' }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] };

export interface RouteTable {
  /** `path` is normalised; `host` is lowercased without a port. */
  match(host: string, method: string, path: string): RouteMatch;
}

interface Candidate {
  readonly loaded: LoadedRoute;
  readonly host: string | undefined;
  /** Absent: every method. HEAD is included wherever GET is. */
  readonly methods: ReadonlySet<string> | undefined;
  readonly params: readonly (readonly [position: number, name: string])[];
  readonly wildcardAt: number | undefined;
}

interface MatchNode {
  readonly static: ReadonlyMap<string, MatchNode> | undefined;
  readonly param: MatchNode | undefined;
  readonly routes: readonly Candidate[] | undefined;
  readonly wildcard: readonly Candidate[] | undefined;
}

interface Query {
  readonly segments: readonly string[];
  readonly host: string;
  readonly method: string;
  /** Routes that matched path and host but not the method, for the Allow header. */
  readonly mismatched: Candidate[];
}

const NO_ROUTE: RouteMatch = { kind: 'no-route' };
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

/** Describes the first index entry that names no route, if any. */
export function findBadRouteIndex(node: RouteIndexNode, routeCount: number): string | undefined {
  const bad = [...(node.routes ?? []), ...(node.wildcard ?? [])].find((index) => index >= routeCount);
  if (bad !== undefined) return `routeIndex refers to route ${bad}, but there are ${routeCount} routes`;
  for (const child of [...Object.values(node.static ?? {}), ...(node.param ? [node.param] : [])]) {
    const problem = findBadRouteIndex(child, routeCount);
    if (problem) return problem;
  }
  return undefined;
}

/** Expects an index that findBadRouteIndex accepted. */
export function createRouteTable(index: RouteIndexNode, routes: readonly LoadedRoute[]): RouteTable {
  const root = compileNode(index, routes.map(candidateOf));
  return {
    match(host, method, path) {
      const query: Query = {
        segments: path === '/' ? [] : path.slice(1).split('/'),
        host,
        method,
        mismatched: [],
      };
      const found = search(root, 0, query);
      if (found) return { kind: 'found', route: found.loaded, params: paramsOf(found, query.segments) };
      if (query.mismatched.length > 0)
        return { kind: 'method-not-allowed', allow: allowOf(query.mismatched) };
      return NO_ROUTE;
    },
  };
}

function candidateOf(loaded: LoadedRoute): Candidate {
  const { route } = loaded;
  const params: [number, string][] = [];
  let wildcardAt: number | undefined;
  route.segments.forEach((segment, position) => {
    if (segment.kind === 'param') params.push([position, segment.name]);
    else if (segment.kind === 'wildcard') wildcardAt = position;
  });
  let methods: Set<string> | undefined;
  if (route.methods) {
    methods = new Set(route.methods);
    if (methods.has('GET')) methods.add('HEAD');
  }
  return { loaded, host: route.host, methods, params, wildcardAt };
}

function compileNode(node: RouteIndexNode, candidates: readonly Candidate[]): MatchNode {
  const pick = (indexes: number[] | undefined) => indexes?.map((index) => candidates[index]!);
  const statics = Object.entries(node.static ?? {});
  return {
    static:
      statics.length > 0
        ? new Map(statics.map(([value, child]) => [value, compileNode(child, candidates)]))
        : undefined,
    param: node.param && compileNode(node.param, candidates),
    routes: pick(node.routes),
    wildcard: pick(node.wildcard),
  };
}

function search(node: MatchNode, depth: number, query: Query): Candidate | undefined {
  const { segments } = query;
  if (depth === segments.length) {
    const found = firstAccepted(node.routes, query);
    if (found) return found;
  } else {
    const segment = segments[depth]!;
    const child = node.static?.get(segment);
    const found =
      (child && search(child, depth + 1, query)) ||
      (node.param && segment !== '' && search(node.param, depth + 1, query));
    if (found) return found;
  }
  // A wildcard tail matches the zero or more segments left from here.
  return firstAccepted(node.wildcard, query);
}

function firstAccepted(candidates: readonly Candidate[] | undefined, query: Query): Candidate | undefined {
  for (const candidate of candidates ?? []) {
    if (candidate.host !== undefined && candidate.host !== query.host) continue;
    if (candidate.methods === undefined || candidate.methods.has(query.method)) return candidate;
    query.mismatched.push(candidate);
  }
  return undefined;
}

function paramsOf(candidate: Candidate, segments: readonly string[]): Readonly<Record<string, string>> {
  if (candidate.params.length === 0 && candidate.wildcardAt === undefined) return NO_PARAMS;
  // No prototype: a parameter may be called `__proto__`.
  const params: Record<string, string> = Object.create(null);
  for (const [position, name] of candidate.params) params[name] = decodeSegment(segments[position]!);
  if (candidate.wildcardAt !== undefined)
    params['*'] = decodeSegment(segments.slice(candidate.wildcardAt).join('/'));
  return params;
}

/** The path is normalised, so escapes are well-formed; one may still not be UTF-8. */
function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function allowOf(candidates: readonly Candidate[]): string[] {
  const allow = new Set<string>();
  for (const candidate of candidates) for (const method of candidate.methods ?? []) allow.add(method);
  return [...allow].sort();
}
