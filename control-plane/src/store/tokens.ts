/**
 * API tokens. Only each token's SHA-256 is stored; a caller is found by the hash of the
 * token it presents. Revoking keeps the row, so the audit log's actors stay resolvable.
 */
import type { Role } from '../auth/roles.ts';
import { type AuditEntry, auditStatement, guardedAuditStatement } from './audit.ts';

export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
}

const COLUMNS = 'id, name, role, created_by, created_at, revoked_at';

export async function insertToken(
  db: D1Database,
  token: Omit<TokenRecord, 'revokedAt'> & { readonly tokenHash: string },
  audit: AuditEntry,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        'INSERT INTO api_tokens (id, name, role, token_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .bind(token.id, token.name, token.role, token.tokenHash, token.createdBy, token.createdAt),
    auditStatement(db, audit, token.createdAt),
  ]);
}

export async function findActiveToken(db: D1Database, tokenHash: string): Promise<TokenRecord | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL`)
    .bind(tokenHash)
    .first<TokenRow>();
  return row ? toRecord(row) : null;
}

export async function listTokens(db: D1Database): Promise<TokenRecord[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM api_tokens ORDER BY id`).all<TokenRow>();
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
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
