/**
 * Deletes an environment (`DELETE /api/v1/environments/:name`, or a push deleting its
 * branch). Under its lease: the pointer key and the key of every host it claims are
 * removed, then one D1 batch supersedes its live deployment, releases its host claims,
 * marks it deleted and audits it. If a KV delete fails, the keys are put back and nothing
 * changed. Production is never deleted. Blobs stay: a later deploy to the same name
 * recreates the environment from nothing, and a rollback to one of its old deployments
 * brings that deployment back.
 */
import { PRODUCTION_ENVIRONMENT } from '../../../src/config/branches.ts';
import type { EnvironmentName } from '../../../src/config/ids.ts';
import { err, type Result } from '../../../src/config/result.ts';
import { timeOrderedId } from '../ids.ts';
import { commitDeletion } from '../store/deletion.ts';
import { getEnvironment, getLiveState } from '../store/environments.ts';
import { type KeyState, pointKeysAt } from './config-kv.ts';
import type { DeployContext } from './context.ts';
import type { DeleteEnvironmentFailure } from './failures.ts';
import { withLease } from './lease.ts';
import { switchKeys } from './switch-keys.ts';

const NO_KEYS: KeyState = { deploymentId: null, format: null, hosts: [] };

export async function deleteEnvironment(
  ctx: DeployContext,
  environment: EnvironmentName,
  actor: string,
): Promise<Result<void, DeleteEnvironmentFailure>> {
  if (environment === PRODUCTION_ENVIRONMENT) return err({ kind: 'environment-protected' });
  // Checked before waiting too: taking the lease of an unknown name would create its row.
  if (!(await getEnvironment(ctx.db, environment))) return err({ kind: 'environment-not-found' });
  const holder = `delete_${timeOrderedId()}`;
  return withLease(ctx, environment, holder, () => deleteLeased(ctx, environment, holder, actor));
}

async function deleteLeased(
  ctx: DeployContext,
  environment: EnvironmentName,
  holder: string,
  actor: string,
): Promise<Result<void, DeleteEnvironmentFailure>> {
  // Another deletion may have finished while this one waited for the lease.
  if (!(await getEnvironment(ctx.db, environment))) return err({ kind: 'environment-not-found' });
  const previous = await getLiveState(ctx.db, environment);
  return switchKeys(ctx, {
    action: `deleting ${environment}`,
    writeKeys: () => pointKeysAt(ctx.kv, environment, NO_KEYS, previous.hosts, new Date()),
    commit: () =>
      commitDeletion(ctx.db, {
        environment,
        holder,
        at: new Date().toISOString(),
        audit: {
          actor,
          action: 'environment.delete',
          target: environment,
          details: {
            deploymentId: previous.deploymentId,
            before: { liveDeploymentId: previous.deploymentId, hosts: previous.hosts },
            after: null,
          },
        },
      }),
    undo: () =>
      pointKeysAt(ctx.kv, environment, previous, [], new Date()).catch((error) =>
        ctx.log(`restoring ${environment} after a failed delete`, error),
      ),
  });
}
