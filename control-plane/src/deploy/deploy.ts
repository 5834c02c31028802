/**
 * Creates a deployment from a bundle of config files: record it `building`, compile (with
 * the vars set for the environment through the API overriding the config's, and its
 * secrets opened so their values are checked where they are used), write the
 * immutable blob, wait for the environment's lease, publish. A failed compile touches no KV
 * key; a deploy that never reached the pointer deletes its blob again, so only
 * deployments that may have been served keep one. Whatever happens, the row ends live or
 * failed and the lease is released.
 */
import { COMPILED_FORMAT } from '../../../src/config/compiled.ts';
import type { DeploymentId, EnvironmentName } from '../../../src/config/ids.ts';
import { err, ok, type Result } from '../../../src/config/result.ts';
import { type CompileError, compile } from '../compiler/index.ts';
import { newDeploymentId } from '../ids.ts';
import type { AuditEntry } from '../store/audit.ts';
import {
  type DeploymentFailureReason,
  type DeploymentSource,
  failDeployment,
  insertBuildingDeployment,
  recordCompiled,
} from '../store/deployments.ts';
import { environmentValues } from '../store/environment-values.ts';
import { deleteBlob, writeBlob } from './config-kv.ts';
import type { DeployContext } from './context.ts';
import type { DeployFailure, DeployFailureReason } from './failures.ts';
import { acquireLease } from './lease.ts';
import { publish } from './publish.ts';
import { openEnvironmentSecrets } from './secrets.ts';

export interface DeployRequest extends DeploymentSource {
  readonly environment: EnvironmentName;
  readonly files: Readonly<Record<string, string>>;
}

interface Run {
  readonly ctx: DeployContext;
  readonly request: DeployRequest;
  readonly actor: string;
  readonly id: DeploymentId;
  /** Whether this run holds the environment's lease and so must release it if it fails. */
  holdsLease: boolean;
}

export async function createDeployment(
  ctx: DeployContext,
  request: DeployRequest,
  actor: string,
): Promise<Result<DeploymentId, DeployFailure>> {
  const run: Run = { ctx, request, actor, id: newDeploymentId(), holdsLease: false };
  await insertBuildingDeployment(ctx.db, {
    id: run.id,
    environment: request.environment,
    commit: request.commit,
    branch: request.branch,
    author: request.author,
    message: request.message,
    trigger: request.trigger,
    createdBy: actor,
    createdAt: new Date().toISOString(),
  });
  try {
    const outcome = await compileAndPublish(run);
    if (outcome.ok) return ok(run.id);
    const failure = outcome.error;
    await recordFailure(run, failure.kind, failure.kind === 'compile-failed' ? failure.errors : undefined);
    return err({ ...failure, deploymentId: run.id });
  } catch (error) {
    await recordFailure(run, 'internal-error').catch((failError) => ctx.log(`failing ${run.id}`, failError));
    throw error;
  }
}

async function compileAndPublish(run: Run): Promise<Result<void, DeployFailureReason>> {
  const { ctx, request, id } = run;
  const { environment } = request;
  const vars = await environmentValues(ctx.db, environment, 'var');
  const secrets = await openEnvironmentSecrets(ctx.db, ctx.secretsKey, environment);
  if (!secrets.ok) return err({ kind: 'secrets-unavailable', failure: secrets.error });
  const compiled = await compile({ files: request.files, environment, vars, secrets: secrets.value.values });
  if (!compiled.ok) return err({ kind: 'compile-failed', errors: compiled.errors });
  await recordCompiled(ctx.db, id, {
    hash: compiled.hash,
    format: COMPILED_FORMAT,
    warnings: compiled.warnings,
  });

  try {
    await writeBlob(ctx.kv, {
      format: COMPILED_FORMAT,
      deploymentId: id,
      environment,
      hash: compiled.hash,
      config: compiled.config,
      ...(compiled.secrets.length > 0 ? { secrets: await secrets.value.sealFor(id, compiled.secrets) } : {}),
    });
  } catch (error) {
    ctx.log(`writing the blob of ${id}`, error);
    await discardBlob(run);
    return err({ kind: 'storage-error' });
  }
  run.holdsLease = await acquireLease(ctx, environment, id);
  if (!run.holdsLease) {
    await discardBlob(run);
    return err({ kind: 'deploy-in-progress' });
  }

  const published = await publish(ctx, {
    environment,
    deploymentId: id,
    format: COMPILED_FORMAT,
    hosts: compiled.config.hosts,
    holder: id,
    previousBecomes: 'superseded',
    audit: audit(run, 'live'),
  });
  // A successful publish released the lease in its commit.
  run.holdsLease = !published.ok;
  if (!published.ok && published.error.kind === 'host-conflict') await discardBlob(run);
  return published;
}

function recordFailure(
  run: Run,
  reason: DeploymentFailureReason,
  errors?: readonly CompileError[],
): Promise<void> {
  return failDeployment(run.ctx.db, {
    id: run.id,
    reason,
    ...(errors ? { errors } : {}),
    at: new Date().toISOString(),
    audit: audit(run, reason),
    ...(run.holdsLease ? { lease: { environment: run.request.environment, holder: run.id } } : {}),
  });
}

/** Best effort: a blob left behind is unreferenced, never served. */
async function discardBlob(run: Run): Promise<void> {
  await deleteBlob(run.ctx.kv, run.id).catch((error) => run.ctx.log(`deleting the blob of ${run.id}`, error));
}

function audit(run: Run, outcome: string): AuditEntry {
  const { environment, commit } = run.request;
  return {
    actor: run.actor,
    action: 'deployment.create',
    target: run.id,
    details: { environment, commit, outcome },
  };
}
