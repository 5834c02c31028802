/**
 * The audit log: one row per mutation made through the API. Callers add the audit
 * statement to the same D1 batch as the change it records, so neither lands without the
 * other.
 */

export interface AuditEntry {
  /** Who: `admin` for the bootstrap token, `token:<id>` for an API token. */
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
