/**
 * Dashboard sessions (migration 0011), keyed by the SHA-256 of the random id the cookie
 * carries, so a leaked table reveals no usable session. A session resolves only while it
 * has not expired and its member exists and is enabled; disabling or removing a member
 * deletes their sessions too (members.ts).
 */
import type { Role } from '../auth/roles.ts';
import { type AuditEntry, auditStatement } from './audit.ts';

export interface SessionWrite {
  readonly idHash: string;
  readonly memberId: string;
  readonly csrfToken: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ActiveSession {
  readonly memberId: string;
  readonly role: Role;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/**
 * Stores the session, audited, and deletes the one it replaces (the browser's previous
 * cookie, so signing in rotates the id) and the member's expired ones.
 */
export async function insertSession(
  db: D1Database,
  session: SessionWrite,
  replacedIdHash: string | null,
  audit: AuditEntry,
): Promise<void> {
  await db.batch([
    db
      .prepare('DELETE FROM sessions WHERE id_hash = ? OR (member_id = ? AND expires_at <= ?)')
      .bind(replacedIdHash, session.memberId, session.createdAt),
    db
      .prepare(
        'INSERT INTO sessions (id_hash, member_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .bind(session.idHash, session.memberId, session.csrfToken, session.createdAt, session.expiresAt),
    auditStatement(db, audit, session.createdAt),
  ]);
}

export async function findActiveSession(
  db: D1Database,
  idHash: string,
  now: string,
): Promise<ActiveSession | null> {
  const row = await db
    .prepare(
      `SELECT s.member_id, m.role, s.csrf_token, s.expires_at
       FROM sessions s JOIN members m ON m.id = s.member_id
       WHERE s.id_hash = ? AND s.expires_at > ? AND m.disabled_at IS NULL`,
    )
    .bind(idHash, now)
    .first<{ member_id: string; role: Role; csrf_token: string; expires_at: string }>();
  return row
    ? { memberId: row.member_id, role: row.role, csrfToken: row.csrf_token, expiresAt: row.expires_at }
    : null;
}

export async function deleteSession(db: D1Database, idHash: string): Promise<void> {
  await db.prepare('DELETE FROM sessions WHERE id_hash = ?').bind(idHash).run();
}
