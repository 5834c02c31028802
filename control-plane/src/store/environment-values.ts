/**
 * Per-environment vars and secrets set through the API (migration 0007). A secret's value
 * is stored sealed (crypto/secret-box.ts) and never selected here: lists give its name and
 * when it changed, nothing else. Setting and unsetting are audited in the same batch, and
 * only when they change a row of the kind named.
 */
import { type AuditEntry, guardedAuditStatement } from './audit.ts';

export type ValueKind = 'var' | 'secret';

export interface EnvironmentValueRecord {
  readonly name: string;
  readonly kind: ValueKind;
  /** The var's value; null for a secret. */
  readonly value: string | null;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface EnvironmentValueWrite {
  readonly environment: string;
  readonly name: string;
  readonly kind: ValueKind;
  /** Clear text for a var, sealed for a secret. */
  readonly value: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

interface ValueRow {
  name: string;
  kind: ValueKind;
  value: string | null;
  updated_by: string;
  updated_at: string;
}

/** Holds when the name is free or already of this kind (parameters: environment, name, kind). */
const FREE_OR_SAME_KIND =
  'NOT EXISTS (SELECT 1 FROM environment_values WHERE environment = ? AND name = ? AND kind <> ?)';
const EXISTS_OF_KIND =
  'EXISTS (SELECT 1 FROM environment_values WHERE environment = ? AND name = ? AND kind = ?)';

export async function listEnvironmentValues(
  db: D1Database,
  environment: string,
): Promise<EnvironmentValueRecord[]> {
  const { results } = await db
    .prepare(
      `SELECT name, kind, CASE kind WHEN 'var' THEN value END AS value, updated_by, updated_at
       FROM environment_values WHERE environment = ? ORDER BY name`,
    )
    .bind(environment)
    .all<ValueRow>();
  return results.map((row) => ({
    name: row.name,
    kind: row.kind,
    value: row.value,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  }));
}

/**
 * The environment's values of one kind, name to value: vars in clear as a deploy compiles
 * them in, secrets sealed for the deploy to open.
 */
export async function environmentValues(
  db: D1Database,
  environment: string,
  kind: ValueKind,
): Promise<Record<string, string>> {
  const { results } = await db
    .prepare('SELECT name, value FROM environment_values WHERE environment = ? AND kind = ?')
    .bind(environment, kind)
    .all<{ name: string; value: string }>();
  return Object.fromEntries(results.map((row) => [row.name, row.value]));
}

/** Inserts or replaces the value; `kind-conflict` when the name is taken by the other kind. */
export async function putEnvironmentValue(
  db: D1Database,
  write: EnvironmentValueWrite,
  audit: AuditEntry,
): Promise<'set' | 'kind-conflict'> {
  const { environment, name, kind } = write;
  const [, stored] = await db.batch([
    guardedAuditStatement(db, audit, write.updatedAt, FREE_OR_SAME_KIND, [environment, name, kind]),
    db
      .prepare(
        `INSERT INTO environment_values (environment, name, kind, value, updated_by, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (environment, name) DO UPDATE
           SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at
           WHERE kind = excluded.kind`,
      )
      .bind(environment, name, kind, write.value, write.updatedBy, write.updatedAt),
  ]);
  return stored?.meta.changes === 1 ? 'set' : 'kind-conflict';
}

export async function deleteEnvironmentValue(
  db: D1Database,
  key: { readonly environment: string; readonly name: string; readonly kind: ValueKind },
  audit: AuditEntry,
  at: string,
): Promise<'deleted' | 'not-found'> {
  const { environment, name, kind } = key;
  const [, deleted] = await db.batch([
    guardedAuditStatement(db, audit, at, EXISTS_OF_KIND, [environment, name, kind]),
    db
      .prepare('DELETE FROM environment_values WHERE environment = ? AND name = ? AND kind = ?')
      .bind(environment, name, kind),
  ]);
  return deleted?.meta.changes === 1 ? 'deleted' : 'not-found';
}
