/**
 * Commits a publish (deploy or rollback) in D1 once the environment's KV keys name the new
 * deployment: the previous live deployment steps down, the new one goes live, the
 * environment records it (no longer deleted, if it was) and releases its lease, hosts it
 * no longer claims are freed, and the audit row is written. One batch, so D1 is never seen half-way; every statement is
 * guarded by the lease, so a holder whose lease was taken over changes nothing.
 */
import type { DeploymentId } from '../../../src/config/ids.ts';
import { type AuditEntry, guardedAuditStatement } from './audit.ts';
import { LEASE_HELD } from './leases.ts';

export interface Publication {
  readonly environment: string;
  readonly deploymentId: DeploymentId;
  readonly holder: string;
  /** What the deployment it replaces becomes: superseded by a deploy, rolled back by a rollback. */
  readonly previousBecomes: 'superseded' | 'rolled_back';
  readonly hosts: readonly string[];
  readonly at: string;
  readonly audit: AuditEntry;
}

/** False when the lease was no longer held, in which case nothing changed. */
export async function commitPublication(db: D1Database, publication: Publication): Promise<boolean> {
  const { environment, deploymentId, holder, at } = publication;
  const lease = [environment, holder];
  const results = await db.batch([
    // Steps down first: the unique index allows one live deployment per environment.
    db
      .prepare(
        `UPDATE deployments SET status = ? WHERE environment = ? AND status = 'live' AND id != ? AND ${LEASE_HELD}`,
      )
      .bind(publication.previousBecomes, environment, deploymentId, ...lease),
    db
      .prepare(
        `UPDATE deployments SET status = 'live', finished_at = COALESCE(finished_at, ?) WHERE id = ? AND ${LEASE_HELD}`,
      )
      .bind(at, deploymentId, ...lease),
    db
      .prepare(
        `DELETE FROM environment_hosts
         WHERE environment = ? AND host NOT IN (SELECT value FROM json_each(?)) AND ${LEASE_HELD}`,
      )
      .bind(environment, JSON.stringify(publication.hosts), ...lease),
    guardedAuditStatement(db, publication.audit, at, LEASE_HELD, lease),
    db
      .prepare(
        `UPDATE environments
         SET live_deployment_id = ?, deleted_at = NULL, lease_holder = NULL, lease_expires_at = NULL, updated_at = ?
         WHERE name = ? AND lease_holder = ?`,
      )
      .bind(deploymentId, at, ...lease),
  ]);
  return results.at(-1)?.meta.changes === 1;
}
