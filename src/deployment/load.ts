/**
 * Turns a verified compiled deployment into what requests run against: each policy
 * instance created once through the registry, each route's policy steps and handler
 * resolved, and the route table built. A deployment that names something it does not
 * define cannot be served and counts as corrupt.
 */
import type { CompiledConfig, CompiledDeployment, CompiledRoute, PolicyMode } from '../config/compiled.ts';
import type { DeploymentId, EnvironmentName } from '../config/ids.ts';
import { isPolicyType, type PolicyPhase } from '../config/policy-catalog.ts';
import { createHandler } from '../pipeline/handlers.ts';
import type { LoadedRoute, PolicyStep } from '../pipeline/types.ts';
import type { PolicyDeps, PolicyFactory, PolicyInstance } from '../policies/contract.ts';
import { policies } from '../policies/index.ts';
import { corrupt, type Loaded, loaded } from './failure.ts';
import { createRouteTable, findBadRouteIndex, type RouteTable } from './route-table.ts';

export interface LoadedDeployment {
  readonly id: DeploymentId;
  readonly environment: EnvironmentName;
  readonly routes: RouteTable;
}

interface ConfiguredInstance {
  readonly mode: PolicyMode;
  readonly instance: PolicyInstance;
}

/** What the isolate gives every deployment it loads; each policy instance adds its name. */
export type SharedPolicyDeps = Omit<PolicyDeps, 'name' | 'environment'>;

export function loadDeployment(
  deployment: CompiledDeployment,
  key: string,
  shared: SharedPolicyDeps,
): Loaded<LoadedDeployment> {
  const { config } = deployment;
  const unserviceable =
    findBadReference(config) ?? findBadRouteIndex(config.routeIndex, config.routes.length);
  if (unserviceable) return corrupt(key, unserviceable);
  const instances = createInstances(config, { ...shared, environment: deployment.environment });
  if (typeof instances === 'string') return corrupt(key, instances);
  const routes: LoadedRoute[] = [];
  for (const route of config.routes) {
    const inbound = stepsFor(route, 'inbound', instances);
    if (typeof inbound === 'string') return corrupt(key, inbound);
    const outbound = stepsFor(route, 'outbound', instances);
    if (typeof outbound === 'string') return corrupt(key, outbound);
    routes.push({ route, inbound, outbound, handler: createHandler(route.handler, config.upstreams) });
  }
  return loaded({
    id: deployment.deploymentId,
    environment: deployment.environment,
    routes: createRouteTable(config.routeIndex, routes),
  });
}

function findBadReference(config: CompiledConfig): string | undefined {
  for (const route of config.routes) {
    const unknownPolicy = [...route.inbound, ...route.outbound].find(
      (name) => !Object.hasOwn(config.policies, name),
    );
    if (unknownPolicy) return `route ${route.id} uses policy "${unknownPolicy}", which is not defined`;
    const { handler } = route;
    if (handler.type === 'proxy' && !Object.hasOwn(config.upstreams, handler.upstream)) {
      return `route ${route.id} proxies to upstream "${handler.upstream}", which is not defined`;
    }
  }
  return undefined;
}

/** Runs every policy factory once; returns a description of the first failure. */
function createInstances(
  config: CompiledConfig,
  deps: Omit<PolicyDeps, 'name'>,
): Map<string, ConfiguredInstance> | string {
  const instances = new Map<string, ConfiguredInstance>();
  for (const [name, policy] of Object.entries(config.policies)) {
    if (!isPolicyType(policy.type)) {
      return `policy "${name}" has type "${policy.type}", which this data plane lacks`;
    }
    // The compiler validated the options against this type's schema.
    const create = policies[policy.type].create as PolicyFactory<unknown>;
    try {
      instances.set(name, { mode: policy.mode, instance: create(policy.options, { ...deps, name }) });
    } catch (error) {
      return `policy "${name}" failed to initialise: ${String(error)}`;
    }
  }
  return instances;
}

/** The route's steps for one phase, in the order the route lists them. */
function stepsFor<P extends PolicyPhase>(
  route: CompiledRoute,
  phase: P,
  instances: ReadonlyMap<string, ConfiguredInstance>,
): PolicyStep<NonNullable<PolicyInstance[P]>>[] | string {
  const steps: PolicyStep<NonNullable<PolicyInstance[P]>>[] = [];
  for (const name of route[phase]) {
    const { mode, instance } = instances.get(name)!;
    const run = instance[phase];
    if (!run) return `route ${route.id} lists policy "${name}" as ${phase}, but it has no ${phase} side`;
    steps.push({ name, mode, run });
  }
  return steps;
}
