/**
 * The deployments table: one row per push, created `building` before the compile starts
 * and finished as live or failed. Later status changes (superseded, rolled back, live
 * again) happen in publication.ts, under the environment's lease.
 */
import type { DeploymentId } from '../../../src/config/ids.ts';
import type { CompileError } from '../compiler/index.ts';
import { type AuditEntry, auditStatement } from './audit.ts';
import { releaseLeaseStatement } from './leases.ts';

export type DeploymentStatus = 'building' | 'live' | 'failed' | 'superseded' | 'rolled_back';

/** Why a deployment failed, as stored; the API turns each into its public text. */
export type DeploymentFailureReason =
  | 'compile-failed'
  | 'deploy-in-progress'
  | 'host-conflict'
  | 'storage-error'
  | 'secrets-unavailable'
  | 'internal-error';

/**
 * Who or what started a deployment: a direct API call, the edgeway CLI, a push to a
 * push-to-deploy remote, or a provider's push webhook.
 */
export type DeploymentTrigger = 'api' | 'cli' | 'git-push' | 'github' | 'gitlab' | 'gitea';

export interface DeploymentSource {
  readonly commit: string;
  readonly branch: string;
  readonly author: string;
  readonly message: string;
  readonly trigger: DeploymentTrigger;
}

export interface DeploymentRecord extends DeploymentSource {
  readonly id: DeploymentId;
  readonly environment: string;
  readonly status: DeploymentStatus;
  readonly hash: string | null;
  readonly format: number | null;
  readonly failureReason: DeploymentFailureReason | null;
  readonly errors: readonly CompileError[] | null;
  /** The compiler's warnings, once it compiled. */
  readonly warnings: readonly CompileError[] | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

interface DeploymentRow {
  id: string;
  environment: string;
  status: DeploymentStatus;
  commit_id: string;
  branch: string;
  author: string;
  message: string;
  trigger: DeploymentTrigger;
  hash: string | null;
  format: number | null;
  failure_reason: DeploymentFailureReason | null;
  errors: string | null;
  warnings: string | null;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

export interface NewDeployment extends DeploymentSource {
  readonly id: DeploymentId;
  readonly environment: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

export async function insertBuildingDeployment(db: D1Database, deployment: NewDeployment): Promise<void> {
  await db
    .prepare(
      `INSERT INTO deployments
         (id, environment, status, commit_id, branch, author, message, trigger, created_by, created_at)
       VALUES (?, ?, 'building', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      deployment.id,
      deployment.environment,
      deployment.commit,
      deployment.branch,
      deployment.author,
      deployment.message,
      deployment.trigger,
      deployment.createdBy,
      deployment.createdAt,
    )
    .run();
}

export async function recordCompiled(
  db: D1Database,
  id: DeploymentId,
  compiled: { readonly hash: string; readonly format: number; readonly warnings: readonly CompileError[] },
): Promise<void> {
  await db
    .prepare('UPDATE deployments SET hash = ?, format = ?, warnings = ? WHERE id = ?')
    .bind(compiled.hash, compiled.format, JSON.stringify(compiled.warnings), id)
    .run();
}

export interface DeploymentFailure {
  readonly id: DeploymentId;
  readonly reason: DeploymentFailureReason;
  readonly errors?: readonly CompileError[];
  readonly at: string;
  readonly audit: AuditEntry;
  /** The environment lease to release in the same batch, when the deploy held it. */
  readonly lease?: { readonly environment: string; readonly holder: string };
}

/** Marks a building deployment failed, records why, and audits it in one batch. */
export async function failDeployment(db: D1Database, failure: DeploymentFailure): Promise<void> {
  const statements = [
    db
      .prepare(
        `UPDATE deployments SET status = 'failed', failure_reason = ?, errors = ?, finished_at = ?
         WHERE id = ? AND status = 'building'`,
      )
      .bind(failure.reason, failure.errors ? JSON.stringify(failure.errors) : null, failure.at, failure.id),
    auditStatement(db, failure.audit, failure.at),
  ];
  if (failure.lease)
    statements.push(releaseLeaseStatement(db, failure.lease.environment, failure.lease.holder));
  await db.batch(statements);
}

export async function getDeployment(db: D1Database, id: string): Promise<DeploymentRecord | null> {
  const row = await db.prepare('SELECT * FROM deployments WHERE id = ?').bind(id).first<DeploymentRow>();
  return row ? toRecord(row) : null;
}

export interface DeploymentQuery {
  readonly environment?: string;
  /** Only deployments older than this id (the previous page's last id). */
  readonly before?: string;
  readonly limit: number;
}

/** Newest first. */
export async function listDeployments(db: D1Database, query: DeploymentQuery): Promise<DeploymentRecord[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM deployments
       WHERE (?1 IS NULL OR environment = ?1) AND (?2 IS NULL OR id < ?2)
       ORDER BY id DESC LIMIT ?3`,
    )
    .bind(query.environment ?? null, query.before ?? null, query.limit)
    .all<DeploymentRow>();
  return results.map(toRecord);
}

function toRecord(row: DeploymentRow): DeploymentRecord {
  return {
    id: row.id as DeploymentId,
    environment: row.environment,
    status: row.status,
    commit: row.commit_id,
    branch: row.branch,
    author: row.author,
    message: row.message,
    trigger: row.trigger,
    hash: row.hash,
    format: row.format,
    failureReason: row.failure_reason,
    errors: parseCompileErrors(row.errors),
    warnings: parseCompileErrors(row.warnings),
    createdBy: row.created_by,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

function parseCompileErrors(json: string | null): CompileError[] | null {
  return json === null ? null : (JSON.parse(json) as CompileError[]);
}
