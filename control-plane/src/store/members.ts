/**
 * Team members (migration 0011): who may sign in to the dashboard and own API tokens,
 * with a role and a PBKDF2 password hash that no read but the sign-in's selects. Every
 * change is audited in the same batch and applies only to the row as the caller last read
 * it (else `changed`), and never leaves the team without an enabled owner once it has one.
 * Disabling or removing a member ends their sessions in the same batch; removing also
 * revokes their tokens.
 */
import type { Role } from '../auth/roles.ts';
import { type AuditEntry, guardedAuditStatement } from './audit.ts';

export interface MemberRecord {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly disabledAt: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

interface MemberRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled_at: string | null;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
}

/** Who made a change and when. */
export interface Change {
  readonly by: string;
  readonly at: string;
}

const COLUMNS = 'id, email, name, role, disabled_at, created_by, created_at, updated_by, updated_at';
/** Holds while the row is as last read (parameters: id, updated_at). */
const UNCHANGED = 'EXISTS (SELECT 1 FROM members WHERE id = ? AND updated_at = ?)';
/** Holds unless the member (parameters: id, id) is the only enabled owner. */
const NOT_LAST_OWNER = `(NOT EXISTS (SELECT 1 FROM members WHERE id = ? AND role = 'owner' AND disabled_at IS NULL)
  OR EXISTS (SELECT 1 FROM members WHERE role = 'owner' AND disabled_at IS NULL AND id <> ?))`;

/** `duplicate` when a member has the email already, whatever its case. */
export async function insertMember(
  db: D1Database,
  member: MemberRecord & { readonly passwordHash: string },
  audit: AuditEntry,
): Promise<'inserted' | 'duplicate'> {
  const [inserted] = await db.batch([
    db
      .prepare(`INSERT INTO members (${COLUMNS}, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING`)
      .bind(
        member.id,
        member.email,
        member.name,
        member.role,
        member.disabledAt,
        member.createdBy,
        member.createdAt,
        member.updatedBy,
        member.updatedAt,
        member.passwordHash,
      ),
    guardedAuditStatement(db, audit, member.createdAt, 'EXISTS (SELECT 1 FROM members WHERE id = ?)', [
      member.id,
    ]),
  ]);
  return inserted?.meta.changes === 1 ? 'inserted' : 'duplicate';
}

export async function listMembers(db: D1Database): Promise<MemberRecord[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM members ORDER BY email COLLATE NOCASE`)
    .all<MemberRow>();
  return results.map(toRecord);
}

/** The member with this id or (whatever its case) this email. */
export async function findMember(db: D1Database, idOrEmail: string): Promise<MemberRecord | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM members WHERE id = ? OR email = ? COLLATE NOCASE`)
    .bind(idOrEmail, idOrEmail)
    .first<MemberRow>();
  return row ? toRecord(row) : null;
}

/** What signing in checks: the member and their password hash. */
export async function findMemberCredentials(
  db: D1Database,
  email: string,
): Promise<{ member: MemberRecord; passwordHash: string } | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS}, password_hash FROM members WHERE email = ? COLLATE NOCASE`)
    .bind(email)
    .first<MemberRow & { password_hash: string }>();
  return row ? { member: toRecord(row), passwordHash: row.password_hash } : null;
}

export async function countOtherEnabledOwners(db: D1Database, memberId: string): Promise<number> {
  const count = await db
    .prepare("SELECT count(*) AS n FROM members WHERE role = 'owner' AND disabled_at IS NULL AND id <> ?")
    .bind(memberId)
    .first<number>('n');
  return count ?? 0;
}

/**
 * Sets the role, or the disabled state, of `previous`. `keepsOwner` says the member stays
 * an enabled owner, so the change cannot take away the last one.
 */
export async function updateMember(
  db: D1Database,
  previous: MemberRecord,
  next: { readonly role: Role; readonly disabledAt: string | null },
  change: Change,
  audit: AuditEntry,
): Promise<'updated' | 'changed'> {
  const keepsOwner = next.role === 'owner' && next.disabledAt === null;
  const { guard, values } = changeGuard(previous, keepsOwner);
  const [, , updated] = await db.batch([
    guardedAuditStatement(db, audit, change.at, guard, values),
    // A disabled member's sessions end with the change.
    db
      .prepare(`DELETE FROM sessions WHERE member_id = ? AND ? IS NOT NULL AND ${guard}`)
      .bind(previous.id, next.disabledAt, ...values),
    db
      .prepare(
        `UPDATE members SET role = ?, disabled_at = ?, updated_by = ?, updated_at = ?
         WHERE id = ? AND ${guard}`,
      )
      .bind(next.role, next.disabledAt, change.by, change.at, previous.id, ...values),
  ]);
  return updated?.meta.changes === 1 ? 'updated' : 'changed';
}

/** Deletes the member, ends their sessions and revokes their tokens. */
export async function deleteMember(
  db: D1Database,
  previous: MemberRecord,
  change: Change,
  audit: AuditEntry,
): Promise<'deleted' | 'changed'> {
  const { guard, values } = changeGuard(previous, false);
  const results = await db.batch([
    guardedAuditStatement(db, audit, change.at, guard, values),
    db
      .prepare(`UPDATE api_tokens SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL AND ${guard}`)
      .bind(change.at, previous.id, ...values),
    db.prepare(`DELETE FROM sessions WHERE member_id = ? AND ${guard}`).bind(previous.id, ...values),
    db.prepare(`DELETE FROM members WHERE id = ? AND ${guard}`).bind(previous.id, ...values),
  ]);
  return results.at(-1)?.meta.changes === 1 ? 'deleted' : 'changed';
}

function changeGuard(previous: MemberRecord, keepsOwner: boolean) {
  const unchanged = [previous.id, previous.updatedAt];
  if (keepsOwner) return { guard: UNCHANGED, values: unchanged };
  return { guard: `${UNCHANGED} AND ${NOT_LAST_OWNER}`, values: [...unchanged, previous.id, previous.id] };
}

function toRecord(row: MemberRow): MemberRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabledAt: row.disabled_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}
