/**
 * The audit log: one row per mutation made through the API or the dashboard. Callers add
 * the audit statement to the same D1 batch as the change it records, so neither lands
 * without the other. `details` holds, by convention, `before` and `after`: the fields the
 * change replaced and wrote (null for a creation's before and a deletion's after), never
 * a secret, a password hash or key material.
 */

export interface AuditEntry {
  /**
   * Who: `admin` for the bootstrap token, `token:<id>` for an API token, `member:<id>` for
   * a dashboard session, `webhook:<registration id>` for a provider webhook.
   */
  readonly actor: string;
  /** What, as `<resource>.<verb>`, e.g. `deployment.create`. */
  readonly action: string;
  /** The id or name of the resource acted on. */
  readonly target: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

const INSERT = 'INSERT INTO audit_log (at, actor, action, target, details)';

export function auditStatement(db: D1Database, entry: AuditEntry, at: string): D1PreparedStatement {
  return db.prepare(`${INSERT} VALUES (?, ?, ?, ?, ?)`).bind(...auditValues(entry, at));
}

/** The same insert, applied only when `condition` (SQL with parameters after the entry's) holds. */
export function guardedAuditStatement(
  db: D1Database,
  entry: AuditEntry,
  at: string,
  condition: string,
  conditionValues: readonly unknown[],
): D1PreparedStatement {
  return db
    .prepare(`${INSERT} SELECT ?, ?, ?, ?, ? WHERE ${condition}`)
    .bind(...auditValues(entry, at), ...conditionValues);
}

function auditValues(entry: AuditEntry, at: string): unknown[] {
  return [at, entry.actor, entry.action, entry.target, JSON.stringify(entry.details ?? {})];
}

export interface AuditRecord extends AuditEntry {
  readonly id: number;
  readonly at: string;
}

export interface AuditQuery {
  readonly limit: number;
  /** Only entries older than this id: the previous page's last. */
  readonly before?: number | undefined;
  readonly target?: string | undefined;
}

/** A page of the log, newest first. */
export async function listAudit(db: D1Database, query: AuditQuery): Promise<AuditRecord[]> {
  const conditions = ['id < ?'];
  const values: unknown[] = [query.before ?? Number.MAX_SAFE_INTEGER];
  if (query.target !== undefined) {
    conditions.push('target = ?');
    values.push(query.target);
  }
  const { results } = await db
    .prepare(
      `SELECT id, at, actor, action, target, details FROM audit_log
       WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT ?`,
    )
    .bind(...values, query.limit)
    .all<{ id: number; at: string; actor: string; action: string; target: string; details: string }>();
  return results.map((row) => ({ ...row, details: JSON.parse(row.details) }));
}
