/**
 * Compiled deployments built by hand, the way the compiler builds them (segments, route
 * index from buildRouteIndex, content hash over canonical JSON), so the data-plane tests
 * do not depend on the compiler.
 */
import { canonicalJson, contentHash } from '../../../src/config/canonical.ts';
import {
  COMPILED_FORMAT,
  type CompiledDeployment,
  type CompiledHandler,
  type CompiledPolicy,
  type CompiledRoute,
  type CompiledUpstream,
  type HttpMethod,
  type PathSegment,
} from '../../../src/config/compiled.ts';
import { DeploymentIdSchema, EnvironmentNameSchema } from '../../../src/config/ids.ts';
import { buildRouteIndex } from '../../../src/config/route-index.ts';
import { type SetHeadersOptions, setHeadersSchema } from '../../../src/policies/set-headers/schema.ts';
import { upstreams } from './upstreams.ts';

export interface RouteSpec {
  readonly path: string;
  readonly methods?: HttpMethod[];
  readonly host?: string;
  readonly inbound?: string[];
  readonly outbound?: string[];
  readonly handler: CompiledHandler;
}

export interface DeploymentSpec {
  readonly environment: string;
  readonly routes: readonly RouteSpec[];
  /** Defaults to `echo` (the demo upstream) and `quirky`. */
  readonly upstreams?: Record<string, CompiledUpstream>;
  readonly policies?: Record<string, CompiledPolicy>;
}

export const proxyTo = (upstream: string): CompiledHandler => ({ type: 'proxy', upstream });

export const mock = (body: string, status = 200, headers: Record<string, string> = {}): CompiledHandler => ({
  type: 'mock',
  status,
  headers: { 'content-type': 'text/plain', ...headers },
  body,
});

export const setHeaders = (
  options: Partial<Record<keyof SetHeadersOptions, unknown>>,
  mode: CompiledPolicy['mode'] = 'enforce',
): CompiledPolicy => ({ type: 'set-headers', mode, options: setHeadersSchema.parse(options) });

export const uniqueName = (prefix: string): string => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

export function newDeploymentId(): string {
  return DeploymentIdSchema.parse(`dep_${crypto.randomUUID().replaceAll('-', '').slice(0, 26)}`);
}

function segmentsOf(path: string): PathSegment[] {
  if (path === '/') return [];
  return path
    .slice(1)
    .split('/')
    .map((part): PathSegment => {
      if (part === '*') return { kind: 'wildcard' };
      if (part.startsWith(':')) return { kind: 'param', name: part.slice(1) };
      return { kind: 'static', value: part };
    });
}

export function compileRoute(spec: RouteSpec, index: number): CompiledRoute {
  return {
    id: `${spec.methods?.join(',') ?? '*'} ${spec.host ?? ''}${spec.path}`,
    path: spec.path,
    segments: segmentsOf(spec.path),
    ...(spec.host ? { host: spec.host } : {}),
    ...(spec.methods ? { methods: spec.methods } : {}),
    inbound: spec.inbound ?? [],
    outbound: spec.outbound ?? [],
    handler: spec.handler,
    source: { file: 'edgeway.yaml', line: index + 1, column: 1 },
  };
}

export async function compileDeployment(spec: DeploymentSpec): Promise<CompiledDeployment> {
  const routes = spec.routes.map(compileRoute);
  const config = {
    hosts: [],
    upstreams: spec.upstreams ?? {
      echo: { url: upstreams.echo, timeoutMs: 5_000 },
      quirky: { url: upstreams.quirky, timeoutMs: 5_000 },
    },
    policies: spec.policies ?? {},
    routes,
    routeIndex: buildRouteIndex(routes),
  };
  return {
    format: COMPILED_FORMAT,
    deploymentId: newDeploymentId() as CompiledDeployment['deploymentId'],
    environment: EnvironmentNameSchema.parse(spec.environment),
    hash: await contentHash(canonicalJson(config)),
    config,
  };
}
