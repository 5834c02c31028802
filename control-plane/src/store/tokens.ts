/**
 * API tokens. Only each token's SHA-256 is stored; a caller is found by the hash of the
 * token it presents. A token belongs to a member (migration 0011; null for older tokens
 * and ones the bootstrap token made for no one): it works only while that member exists
 * and is enabled, and never above the member's role. Revoking keeps the row, so the audit
 * log's actors stay resolvable.
 */
import { lowerRole, type Role } from '../auth/roles.ts';
import { type AuditEntry, auditStatement, guardedAuditStatement } from './audit.ts';

export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly memberId: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

/** A token that authenticates: its role is already capped at its member's. */
export interface ActiveToken {
  readonly id: string;
  readonly role: Role;
  readonly memberId: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  member_id: string | null;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
}

const COLUMNS = 'id, name, role, member_id, created_by, created_at, revoked_at';

export async function insertToken(
  db: D1Database,
  token: Omit<TokenRecord, 'revokedAt'> & { readonly tokenHash: string },
  audit: AuditEntry,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `INSERT INTO api_tokens (id, name, role, token_hash, member_id, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        token.id,
        token.name,
        token.role,
        token.tokenHash,
        token.memberId,
        token.createdBy,
        token.createdAt,
      ),
    auditStatement(db, audit, token.createdAt),
  ]);
}

/** The unrevoked token with this hash, unless its member is gone or disabled. */
export async function findActiveToken(db: D1Database, tokenHash: string): Promise<ActiveToken | null> {
  const row = await db
    .prepare(
      `SELECT t.id, t.role, t.member_id, m.role AS member_role
       FROM api_tokens t LEFT JOIN members m ON m.id = t.member_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL
         AND (t.member_id IS NULL OR (m.id IS NOT NULL AND m.disabled_at IS NULL))`,
    )
    .bind(tokenHash)
    .first<{ id: string; role: Role; member_id: string | null; member_role: Role | null }>();
  if (!row) return null;
  const role = row.member_role ? lowerRole(row.role, row.member_role) : row.role;
  return { id: row.id, role, memberId: row.member_id };
}

/** Every token, or only the member's. */
export async function listTokens(db: D1Database, memberId?: string): Promise<TokenRecord[]> {
  const statement =
    memberId === undefined
      ? db.prepare(`SELECT ${COLUMNS} FROM api_tokens ORDER BY id`)
      : db.prepare(`SELECT ${COLUMNS} FROM api_tokens WHERE member_id = ? ORDER BY id`).bind(memberId);
  const { results } = await statement.all<TokenRow>();
  return results.map(toRecord);
}

export type RevokeOutcome = 'revoked' | 'already-revoked' | 'not-found';

export async function revokeToken(
  db: D1Database,
  id: string,
  audit: AuditEntry,
  at: string,
): Promise<RevokeOutcome> {
  const [revoked] = await db.batch([
    db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').bind(at, id),
    // Audited only when this call is the one that revoked it.
    guardedAuditStatement(
      db,
      audit,
      at,
      'EXISTS (SELECT 1 FROM api_tokens WHERE id = ? AND revoked_at = ?)',
      [id, at],
    ),
  ]);
  if (revoked?.meta.changes === 1) return 'revoked';
  const exists = await db.prepare('SELECT 1 FROM api_tokens WHERE id = ?').bind(id).first();
  return exists ? 'already-revoked' : 'not-found';
}

function toRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    memberId: row.member_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
