/**
 * Switches an environment to a deployment whose blob is already in KV; the caller holds
 * the environment's lease. The environment claims the hosts of the deployment's config
 * and, for a preview, the host of its preview URL. Order matters to the data plane: hosts
 * are claimed in D1 (conflicts stop here, before any key changes), then the pointer flips,
 * then host keys follow, then D1 commits. If a KV write fails, the keys are put back to
 * what D1 says is live and the claims are released. The target's blob is never deleted
 * from here on: the pointer may have named it. The audit row gets the environment's live
 * deployment and hosts before and after.
 */
import type { DeploymentId, EnvironmentName } from '../../../src/config/ids.ts';
import { err, type Result } from '../../../src/config/result.ts';
import type { AuditEntry } from '../store/audit.ts';
import { getLiveState, type LiveState } from '../store/environments.ts';
import { claimHosts, releaseHostClaims } from '../store/hosts.ts';
import { commitPublication } from '../store/publication.ts';
import { pointKeysAt } from './config-kv.ts';
import type { DeployContext } from './context.ts';
import { claimedHosts } from './environment-settings.ts';
import type { PublishFailure } from './failures.ts';
import { switchKeys } from './switch-keys.ts';

export interface PublishRequest {
  readonly environment: EnvironmentName;
  readonly deploymentId: DeploymentId;
  readonly format: number;
  /** The hosts of the deployment's config. */
  readonly hosts: readonly string[];
  readonly holder: string;
  readonly previousBecomes: 'superseded' | 'rolled_back';
  readonly audit: AuditEntry;
}

export async function publish(
  ctx: DeployContext,
  request: PublishRequest,
): Promise<Result<void, PublishFailure>> {
  const { environment } = request;
  const hosts = claimedHosts(ctx.settings, environment, request.hosts);
  const previous = await getLiveState(ctx.db, environment);
  const claim = await claimHosts(ctx.db, environment, hosts, previous.hosts);
  if (!claim.ok) return err({ kind: 'host-conflict', conflicts: claim.conflicts });

  return switchKeys(ctx, {
    action: `publishing ${request.deploymentId} to ${environment}`,
    writeKeys: () => pointKeysAt(ctx.kv, environment, { ...request, hosts }, previous.hosts, new Date()),
    commit: () =>
      commitPublication(ctx.db, {
        environment,
        deploymentId: request.deploymentId,
        holder: request.holder,
        previousBecomes: request.previousBecomes,
        hosts,
        at: new Date().toISOString(),
        audit: withBeforeAndAfter(request.audit, previous, { deploymentId: request.deploymentId, hosts }),
      }),
    undo: () => restore(ctx, environment, previous, hosts, claim.newlyClaimed),
  });
}

function withBeforeAndAfter(
  audit: AuditEntry,
  before: LiveState,
  after: { readonly deploymentId: DeploymentId; readonly hosts: readonly string[] },
): AuditEntry {
  const live = (state: {
    readonly deploymentId: DeploymentId | null;
    readonly hosts: readonly string[];
  }) => ({
    liveDeploymentId: state.deploymentId,
    hosts: state.hosts,
  });
  return { ...audit, details: { ...audit.details, before: live(before), after: live(after) } };
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
