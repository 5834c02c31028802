/**
 * The per-environment lease that serialises deploys and rollbacks. Taking it is one
 * conditional UPDATE, so D1 decides atomically who holds it (`meta.changes` is 1 for the
 * winner). The expiry only matters when a holder crashed: nobody else can take the lease
 * until then.
 */

/** SQL condition, with parameters (environment, holder): the holder still holds the lease. */
export const LEASE_HELD = 'EXISTS (SELECT 1 FROM environments WHERE name = ? AND lease_holder = ?)';

export interface LeaseRequest {
  readonly environment: string;
  readonly holder: string;
  readonly now: number;
  readonly ttlMs: number;
}

/** Creates the environment's row on its first deploy, then tries to take its lease once. */
export async function tryTakeLease(db: D1Database, lease: LeaseRequest): Promise<boolean> {
  const [, taken] = await db.batch([
    db
      .prepare('INSERT INTO environments (name, updated_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING')
      .bind(lease.environment, new Date(lease.now).toISOString()),
    db
      .prepare(
        `UPDATE environments SET lease_holder = ?, lease_expires_at = ?
         WHERE name = ? AND (lease_holder IS NULL OR lease_expires_at <= ?)`,
      )
      .bind(lease.holder, lease.now + lease.ttlMs, lease.environment, lease.now),
  ]);
  return taken?.meta.changes === 1;
}

export function releaseLeaseStatement(
  db: D1Database,
  environment: string,
  holder: string,
): D1PreparedStatement {
  return db
    .prepare(
      'UPDATE environments SET lease_holder = NULL, lease_expires_at = NULL WHERE name = ? AND lease_holder = ?',
    )
    .bind(environment, holder);
}

export async function releaseLease(db: D1Database, environment: string, holder: string): Promise<void> {
  await releaseLeaseStatement(db, environment, holder).run();
}
