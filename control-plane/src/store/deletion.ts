/**
 * Commits an environment's deletion in D1 once its KV keys are gone: its live deployment
 * becomes superseded, its host claims are released, the environment is marked deleted
 * with no live deployment and its lease released, and the audit row is written. One
 * batch, every statement guarded by the lease, as a publication is (publication.ts).
 */
import { type AuditEntry, guardedAuditStatement } from './audit.ts';
import { LEASE_HELD } from './leases.ts';

export interface Deletion {
  readonly environment: string;
  readonly holder: string;
  readonly at: string;
  readonly audit: AuditEntry;
}

/** False when the lease was no longer held, in which case nothing changed. */
export async function commitDeletion(db: D1Database, deletion: Deletion): Promise<boolean> {
  const { environment, holder, at } = deletion;
  const lease = [environment, holder];
  const results = await db.batch([
    db
      .prepare(
        `UPDATE deployments SET status = 'superseded' WHERE environment = ? AND status = 'live' AND ${LEASE_HELD}`,
      )
      .bind(environment, ...lease),
    db
      .prepare(`DELETE FROM environment_hosts WHERE environment = ? AND ${LEASE_HELD}`)
      .bind(environment, ...lease),
    guardedAuditStatement(db, deletion.audit, at, LEASE_HELD, lease),
    db
      .prepare(
        `UPDATE environments
         SET live_deployment_id = NULL, deleted_at = ?, lease_holder = NULL, lease_expires_at = NULL, updated_at = ?
         WHERE name = ? AND lease_holder = ?`,
      )
      .bind(at, at, ...lease),
  ]);
  return results.at(-1)?.meta.changes === 1;
}
