/**
 * Consumers' API keys (migration 0010). A key's plaintext is never stored: a row holds the
 * SHA-256 (hex) of the whole key, which is also its KV record's name, and a hint of its
 * first characters. `hash` leaves this module only for KV keys; the API never shows it.
 * Revoking keeps the row (until its consumer is deleted) so a retried revocation can
 * delete the KV record again. Every change is audited in the same batch, only when it
 * changes something.
 */
import type { KeySet } from '../../../src/config/api-keys.ts';
import { type AuditEntry, guardedAuditStatement } from './audit.ts';

export interface StoredApiKey {
  readonly id: string;
  readonly consumerId: string;
  readonly keySet: KeySet;
  readonly hash: string;
  readonly hint: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  /** The key this one was rolled into, which replaced it. */
  readonly rolledInto: string | null;
}

export type NewApiKey = Omit<StoredApiKey, 'revokedAt' | 'rolledInto'>;

interface ApiKeyRow {
  id: string;
  consumer_id: string;
  key_set: KeySet;
  key_hash: string;
  hint: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  rolled_into: string | null;
}

const NEW_COLUMNS = 'id, consumer_id, key_set, key_hash, hint, created_by, created_at, expires_at';
const COLUMNS = `${NEW_COLUMNS}, revoked_at, rolled_into`;
const EXISTS = 'EXISTS (SELECT 1 FROM api_keys WHERE id = ?)';
/** Holds while the key may still be rolled (parameter: id). */
const ROLLABLE =
  'EXISTS (SELECT 1 FROM api_keys WHERE id = ? AND revoked_at IS NULL AND rolled_into IS NULL)';

/** `consumer-not-found` when the consumer is gone (deleted meanwhile). */
export async function insertApiKey(
  db: D1Database,
  key: NewApiKey,
  audit: AuditEntry,
): Promise<'inserted' | 'consumer-not-found'> {
  const [inserted] = await db.batch([
    insertStatement(db, key, 'EXISTS (SELECT 1 FROM consumers WHERE id = ?)', key.consumerId),
    guardedAuditStatement(db, audit, key.createdAt, EXISTS, [key.id]),
  ]);
  return inserted?.meta.changes === 1 ? 'inserted' : 'consumer-not-found';
}

/** A consumer's keys, oldest first, revoked ones included. */
export async function listApiKeys(db: D1Database, consumerId: string): Promise<StoredApiKey[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM api_keys WHERE consumer_id = ? ORDER BY id`)
    .bind(consumerId)
    .all<ApiKeyRow>();
  return results.map(toRecord);
}

export async function getApiKey(db: D1Database, id: string): Promise<StoredApiKey | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE id = ?`).bind(id).first<ApiKeyRow>();
  return row ? toRecord(row) : null;
}

/** Which of `ids` are keys not revoked (nor deleted). */
export async function unrevokedKeyIds(db: D1Database, ids: readonly string[]): Promise<Set<string>> {
  const { results } = await db
    .prepare('SELECT id FROM api_keys WHERE revoked_at IS NULL AND id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify(ids))
    .all<{ id: string }>();
  return new Set(results.map((row) => row.id));
}

export async function revokeApiKey(
  db: D1Database,
  id: string,
  audit: AuditEntry,
  at: string,
): Promise<'revoked' | 'already-revoked'> {
  const [, revoked] = await db.batch([
    guardedAuditStatement(
      db,
      audit,
      at,
      'EXISTS (SELECT 1 FROM api_keys WHERE id = ? AND revoked_at IS NULL)',
      [id],
    ),
    db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').bind(at, id),
  ]);
  return revoked?.meta.changes === 1 ? 'revoked' : 'already-revoked';
}

/** Revokes every key of the consumer that is not revoked yet; one audit row names them. */
export async function revokeConsumerKeys(
  db: D1Database,
  consumerId: string,
  audit: AuditEntry,
  at: string,
): Promise<void> {
  await db.batch([
    guardedAuditStatement(
      db,
      audit,
      at,
      'EXISTS (SELECT 1 FROM api_keys WHERE consumer_id = ? AND revoked_at IS NULL)',
      [consumerId],
    ),
    db
      .prepare('UPDATE api_keys SET revoked_at = ? WHERE consumer_id = ? AND revoked_at IS NULL')
      .bind(at, consumerId),
  ]);
}

export interface Roll {
  readonly previous: StoredApiKey;
  /** When the previous key stops working: the end of the grace period, or its own expiry if sooner. */
  readonly previousExpiresAt: string | null;
  readonly replacement: NewApiKey;
}

/**
 * Inserts the replacement and marks the previous key rolled into it with its new expiry,
 * provided the previous key is neither revoked nor rolled already; false when it is.
 */
export async function rollApiKey(db: D1Database, roll: Roll, audit: AuditEntry): Promise<boolean> {
  const { previous, replacement } = roll;
  const results = await db.batch([
    insertStatement(db, replacement, ROLLABLE, previous.id),
    guardedAuditStatement(db, audit, replacement.createdAt, `${ROLLABLE} AND ${EXISTS}`, [
      previous.id,
      replacement.id,
    ]),
    db
      .prepare(
        `UPDATE api_keys SET expires_at = ?, rolled_into = ?
         WHERE id = ? AND revoked_at IS NULL AND rolled_into IS NULL AND ${EXISTS}`,
      )
      .bind(roll.previousExpiresAt, replacement.id, previous.id, replacement.id),
  ]);
  return results.at(-1)?.meta.changes === 1;
}

/** Takes a roll back after its KV records could not be written: the replacement is revoked. */
export async function undoRoll(db: D1Database, roll: Roll, audit: AuditEntry, at: string): Promise<void> {
  const { previous, replacement } = roll;
  await db.batch([
    guardedAuditStatement(db, audit, at, EXISTS, [replacement.id]),
    db
      .prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
      .bind(at, replacement.id),
    db
      .prepare('UPDATE api_keys SET expires_at = ?, rolled_into = NULL WHERE id = ? AND rolled_into = ?')
      .bind(previous.expiresAt, previous.id, replacement.id),
  ]);
}

/** INSERT of `key` when `condition` (one parameter, `value`) holds. */
function insertStatement(db: D1Database, key: NewApiKey, condition: string, value: string) {
  return db
    .prepare(`INSERT INTO api_keys (${NEW_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${condition}`)
    .bind(
      key.id,
      key.consumerId,
      key.keySet,
      key.hash,
      key.hint,
      key.createdBy,
      key.createdAt,
      key.expiresAt,
      value,
    );
}

function toRecord(row: ApiKeyRow): StoredApiKey {
  return {
    id: row.id,
    consumerId: row.consumer_id,
    keySet: row.key_set,
    hash: row.key_hash,
    hint: row.hint,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    rolledInto: row.rolled_into,
  };
}
