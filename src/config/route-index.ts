/**
 * Builds the segment trie the data plane matches requests against (see RouteIndexNode).
 * The compiler calls this once per deployment; the result is stored in the blob.
 */
import type { CompiledRoute, RouteIndexNode } from './compiled.ts';

type IndexedRoute = Pick<CompiledRoute, 'segments' | 'host'>;

export function buildRouteIndex(routes: readonly IndexedRoute[]): RouteIndexNode {
  const root: RouteIndexNode = {};
  routes.forEach((route, index) => {
    let node = root;
    for (const segment of route.segments) {
      if (segment.kind === 'wildcard') {
        node.wildcard = [...(node.wildcard ?? []), index];
        return;
      }
      if (segment.kind === 'param') {
        node.param ??= {};
        node = node.param;
      } else {
        node.static ??= {};
        node.static[segment.value] ??= {};
        node = node.static[segment.value]!;
      }
    }
    node.routes = [...(node.routes ?? []), index];
  });
  sortHostSpecificFirst(root, routes);
  return root;
}

/** Within one node, routes limited to a host are tried before host-agnostic ones. */
function sortHostSpecificFirst(node: RouteIndexNode, routes: readonly IndexedRoute[]): void {
  const byHost = (a: number, b: number) => Number(!routes[a]!.host) - Number(!routes[b]!.host) || a - b;
  node.routes?.sort(byHost);
  node.wildcard?.sort(byHost);
  for (const child of Object.values(node.static ?? {})) sortHostSpecificFirst(child, routes);
  if (node.param) sortHostSpecificFirst(node.param, routes);
}
