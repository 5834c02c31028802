/**
 * Builds the compiled config from a checked source: declared upstreams and policies as
 * validated (a policy that uses secrets as its template, see src/config/secret-refs.ts),
 * routes in declaration order with their index, and the target environment's hosts.
 * Only called once every check has passed.
 */
import type {
  CompiledConfig,
  CompiledHandler,
  CompiledPolicy,
  CompiledRoute,
} from '../../../src/config/compiled.ts';
import { buildRouteIndex } from '../../../src/config/route-index.ts';
import type { EdgewaySource, SourceEnvironment, SourceRoute } from '../../../src/config/source.ts';
import type { SecretTemplate } from './interpolate.ts';
import { type RouteDraft, routeId } from './route-drafts.ts';

export function emitConfig(
  source: EdgewaySource,
  drafts: readonly RouteDraft[],
  environment: string,
  secretTemplates: ReadonlyMap<string, SecretTemplate>,
): CompiledConfig {
  const routes = drafts.map(emitRoute);
  const environments: Readonly<Record<string, SourceEnvironment>> = source.environments;
  const hosts = Object.hasOwn(environments, environment) ? environments[environment]!.hosts : [];
  return {
    hosts: [...new Set(hosts)].sort(),
    upstreams: source.upstreams,
    policies: Object.fromEntries(
      Object.entries(source.policies).map(([name, policy]): [string, CompiledPolicy] => {
        const template = secretTemplates.get(name);
        return [
          name,
          template ? { ...policy, options: template.options, secrets: [...template.secrets] } : policy,
        ];
      }),
    ),
    routes,
    routeIndex: buildRouteIndex(routes),
  };
}

function emitRoute({ route, document, path }: RouteDraft): CompiledRoute {
  const { line, column } = document.locate(path);
  return {
    id: routeId(route),
    path: route.path.text,
    segments: route.path.segments,
    host: route.host,
    methods: route.methods,
    inbound: route.inbound,
    outbound: route.outbound,
    handler: handlerOf(route),
    source: { file: document.file, line, column },
  };
}

function handlerOf(route: SourceRoute): CompiledHandler {
  if (route.mock) return { type: 'mock', ...route.mock };
  if (route.redirect) return { type: 'redirect', ...route.redirect };
  // The schema guarantees exactly one handler, so a route without mock or redirect proxies.
  return { type: 'proxy', upstream: route.upstream! };
}
