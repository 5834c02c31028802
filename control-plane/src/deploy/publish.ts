/**
 * Switches an environment to a deployment whose blob is already in KV; the caller holds
 * the environment's lease. Order matters to the data plane: hosts are claimed in D1
 * (conflicts stop here, before any key changes), then the pointer flips, then host keys
 * follow, then D1 commits. If a KV write fails, the keys are put back to what D1 says is
 * live and the claims are released. The target's blob is never deleted from here on:
 * the pointer may have named it.
 */
import type { DeploymentId, EnvironmentName } from '../../../src/config/ids.ts';
import { err, ok, type Result } from '../result.ts';
import type { AuditEntry } from '../store/audit.ts';
import { getLiveState, type LiveState } from '../store/environments.ts';
import { claimHosts, releaseHostClaims } from '../store/hosts.ts';
import { commitPublication } from '../store/publication.ts';
import { pointKeysAt } from './config-kv.ts';
import type { DeployContext } from './context.ts';
import type { PublishFailure } from './failures.ts';

export interface PublishRequest {
  readonly environment: EnvironmentName;
  readonly deploymentId: DeploymentId;
  readonly format: number;
  readonly hosts: readonly string[];
  readonly holder: string;
  readonly previousBecomes: 'superseded' | 'rolled_back';
  readonly audit: AuditEntry;
}

export async function publish(
  ctx: DeployContext,
  request: PublishRequest,
): Promise<Result<void, PublishFailure>> {
  const { environment, hosts } = request;
  const previous = await getLiveState(ctx.db, environment);
  const claim = await claimHosts(ctx.db, environment, hosts, previous.hosts);
  if (!claim.ok) return err({ kind: 'host-conflict', conflicts: claim.conflicts });

  const undo = () => restore(ctx, environment, previous, hosts, claim.newlyClaimed);
  try {
    await pointKeysAt(ctx.kv, environment, request, previous.hosts, new Date());
  } catch (error) {
    ctx.log(`publishing ${request.deploymentId} to ${environment}: a KV write failed`, error);
    await undo();
    return err({ kind: 'storage-error' });
  }

  let committed: boolean;
  try {
    committed = await commitPublication(ctx.db, {
      environment,
      deploymentId: request.deploymentId,
      holder: request.holder,
      previousBecomes: request.previousBecomes,
      hosts,
      at: new Date().toISOString(),
      audit: request.audit,
    });
  } catch (error) {
    await undo();
    throw error;
  }
  // The lease expired and was taken over: the new holder owns the keys now, so leave them.
  if (!committed)
    throw new Error(`lease on ${environment} was lost before ${request.deploymentId} committed`);
  return ok(undefined);
}

/** Best effort: a failure here is logged and the original failure reported. */
async function restore(
  ctx: DeployContext,
  environment: EnvironmentName,
  previous: LiveState,
  attemptedHosts: readonly string[],
  newlyClaimed: readonly string[],
): Promise<void> {
  const outcomes = await Promise.allSettled([
    pointKeysAt(ctx.kv, environment, previous, attemptedHosts, new Date()),
    releaseHostClaims(ctx.db, environment, newlyClaimed),
  ]);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected')
      ctx.log(`restoring ${environment} after a failed publish`, outcome.reason);
  }
}
