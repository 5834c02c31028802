/**
 * Consumers (migration 0010): who calls the gateway's APIs, by a unique name, with tags, a
 * plan and metadata that the data plane sees with each of their API keys. Every change is
 * audited in the same batch; an update or deletion applies only to the row as the caller
 * last read it, so its audit row's `before` is what it replaced.
 */
import { type AuditEntry, guardedAuditStatement } from './audit.ts';

export interface ConsumerFields {
  readonly tags: readonly string[];
  readonly plan: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface ConsumerRecord extends ConsumerFields {
  readonly id: string;
  readonly name: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

interface ConsumerRow {
  id: string;
  name: string;
  tags: string;
  plan: string | null;
  metadata: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

export interface ConsumerQuery {
  /** Only consumers with this tag. */
  readonly tag?: string | undefined;
  readonly limit: number;
  /** Only consumers whose name sorts after this one: the previous page's last. */
  readonly after?: string | undefined;
}

const COLUMNS = 'id, name, tags, plan, metadata, created_by, created_at, updated_by, updated_at';
/** Holds while the row is as last read (parameters: id, updated_at). */
const UNCHANGED = 'EXISTS (SELECT 1 FROM consumers WHERE id = ? AND updated_at = ?)';
const NO_ACTIVE_KEYS = 'NOT EXISTS (SELECT 1 FROM api_keys WHERE consumer_id = ? AND revoked_at IS NULL)';

/** `duplicate` when the name is taken. */
export async function insertConsumer(
  db: D1Database,
  consumer: ConsumerRecord,
  audit: AuditEntry,
): Promise<'inserted' | 'duplicate'> {
  const [inserted] = await db.batch([
    db
      .prepare(`INSERT INTO consumers (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
      .bind(
        consumer.id,
        consumer.name,
        JSON.stringify(consumer.tags),
        consumer.plan,
        JSON.stringify(consumer.metadata),
        consumer.createdBy,
        consumer.createdAt,
        consumer.updatedBy,
        consumer.updatedAt,
      ),
    guardedAuditStatement(db, audit, consumer.createdAt, 'EXISTS (SELECT 1 FROM consumers WHERE id = ?)', [
      consumer.id,
    ]),
  ]);
  return inserted?.meta.changes === 1 ? 'inserted' : 'duplicate';
}

/** A page of consumers by name. */
export async function listConsumers(db: D1Database, query: ConsumerQuery): Promise<ConsumerRecord[]> {
  const conditions = ['name > ?'];
  const values: unknown[] = [query.after ?? ''];
  if (query.tag !== undefined) {
    conditions.push('EXISTS (SELECT 1 FROM json_each(consumers.tags) WHERE value = ?)');
    values.push(query.tag);
  }
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM consumers WHERE ${conditions.join(' AND ')} ORDER BY name LIMIT ?`)
    .bind(...values, query.limit)
    .all<ConsumerRow>();
  return results.map(toRecord);
}

export async function findConsumerByName(db: D1Database, name: string): Promise<ConsumerRecord | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM consumers WHERE name = ?`)
    .bind(name)
    .first<ConsumerRow>();
  return row ? toRecord(row) : null;
}

export async function findConsumerById(db: D1Database, id: string): Promise<ConsumerRecord | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM consumers WHERE id = ?`).bind(id).first<ConsumerRow>();
  return row ? toRecord(row) : null;
}

/** Replaces the fields of `previous`; `changed` when the row is no longer as it was read. */
export async function updateConsumer(
  db: D1Database,
  previous: ConsumerRecord,
  next: ConsumerFields & { readonly updatedBy: string; readonly updatedAt: string },
  audit: AuditEntry,
): Promise<'updated' | 'changed'> {
  const unchanged = [previous.id, previous.updatedAt];
  const [, updated] = await db.batch([
    guardedAuditStatement(db, audit, next.updatedAt, UNCHANGED, unchanged),
    db
      .prepare(
        `UPDATE consumers SET tags = ?, plan = ?, metadata = ?, updated_by = ?, updated_at = ?
         WHERE id = ? AND updated_at = ?`,
      )
      .bind(
        JSON.stringify(next.tags),
        next.plan,
        JSON.stringify(next.metadata),
        next.updatedBy,
        next.updatedAt,
        ...unchanged,
      ),
  ]);
  return updated?.meta.changes === 1 ? 'updated' : 'changed';
}

/**
 * Deletes the consumer and its (revoked) keys' rows, provided none of its keys is active:
 * the caller revokes them first. `changed` when one is active again (a key was created
 * meanwhile) or the row is not as it was read.
 */
export async function deleteConsumer(
  db: D1Database,
  previous: ConsumerRecord,
  audit: AuditEntry,
  at: string,
): Promise<'deleted' | 'changed'> {
  const { id } = previous;
  const guard = `${UNCHANGED} AND ${NO_ACTIVE_KEYS}`;
  const guardValues = [id, previous.updatedAt, id];
  const results = await db.batch([
    guardedAuditStatement(db, audit, at, guard, guardValues),
    db.prepare(`DELETE FROM api_keys WHERE consumer_id = ? AND ${guard}`).bind(id, ...guardValues),
    db
      .prepare(`DELETE FROM consumers WHERE id = ? AND updated_at = ? AND ${NO_ACTIVE_KEYS}`)
      .bind(...guardValues),
  ]);
  return results.at(-1)?.meta.changes === 1 ? 'deleted' : 'changed';
}

function toRecord(row: ConsumerRow): ConsumerRecord {
  return {
    id: row.id,
    name: row.name,
    tags: JSON.parse(row.tags),
    plan: row.plan,
    metadata: JSON.parse(row.metadata),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}
