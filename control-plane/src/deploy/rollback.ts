/**
 * Rolls an environment back to one of its earlier live deployments. The target must have
 * been live before and its blob must still be whole in KV; then, under the environment's
 * lease, it is published again and the deployment it replaces becomes `rolled_back`. An
 * environment deleted since is recreated, serving the target.
 */
import type { DeploymentId, EnvironmentName } from '../../../src/config/ids.ts';
import { err, type Result } from '../../../src/config/result.ts';
import { timeOrderedId } from '../ids.ts';
import { getDeployment } from '../store/deployments.ts';
import { readBlob } from './config-kv.ts';
import type { DeployContext } from './context.ts';
import type { RollbackFailure } from './failures.ts';
import { withLease } from './lease.ts';
import { publish } from './publish.ts';

export interface RollbackRequest {
  readonly environment: EnvironmentName;
  readonly deploymentId: DeploymentId;
}

export async function rollback(
  ctx: DeployContext,
  request: RollbackRequest,
  actor: string,
): Promise<Result<void, RollbackFailure>> {
  const { environment, deploymentId } = request;
  const target = await getDeployment(ctx.db, deploymentId);
  if (!target) return err({ kind: 'deployment-not-found' });
  if (target.environment !== environment)
    return err({ kind: 'wrong-environment', environment: target.environment });
  if (target.status === 'live') return err({ kind: 'already-live' });
  if (target.status !== 'superseded' && target.status !== 'rolled_back') {
    return err({ kind: 'never-live', status: target.status });
  }
  const read = await readBlob(ctx.kv, deploymentId);
  if (read.kind !== 'found') return err({ kind: 'blob-unavailable' });

  const holder = `rollback_${timeOrderedId()}`;
  return withLease(ctx, environment, holder, () =>
    publish(ctx, {
      environment,
      deploymentId,
      format: read.blob.format,
      hosts: read.blob.config.hosts,
      holder,
      previousBecomes: 'rolled_back',
      audit: { actor, action: 'environment.rollback', target: environment, details: { deploymentId } },
    }),
  );
}
