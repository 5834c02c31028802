/**
 * Issuing and revoking API tokens, for the API and the dashboard alike. A token belongs to
 * a member: the one named (who may not outrank the caller), else the caller's (none for
 * the bootstrap token); its role is at most that member's and the caller's. Its value is
 * returned this once and only its hash is kept. Both changes are audited.
 */

import { err, ok, type Result } from '../../../src/config/result.ts';
import type { Principal } from '../auth/authenticate.ts';
import { type Role, roleAllows } from '../auth/roles.ts';
import { generateApiToken, sha256Hex } from '../auth/token-crypto.ts';
import { timeOrderedId } from '../ids.ts';
import { findMember } from '../store/members.ts';
import { insertToken, type RevokeOutcome, revokeToken, type TokenRecord } from '../store/tokens.ts';
import type { MemberFailure } from './failures.ts';

export interface TokenRequest {
  readonly name: string;
  readonly role: Role;
  /** The member's id or email; the caller's own member when omitted. */
  readonly member?: string | undefined;
}

export interface IssuedToken {
  readonly record: TokenRecord;
  /** The token itself: shown to the caller this once. */
  readonly token: string;
}

export async function issueApiToken(
  db: D1Database,
  caller: Principal,
  request: TokenRequest,
): Promise<Result<IssuedToken, MemberFailure>> {
  const { name, role } = request;
  const owner = await tokenOwner(db, caller, request.member, role);
  if (!owner.ok) return owner;
  const token = generateApiToken();
  const record: TokenRecord = {
    id: `tok_${timeOrderedId()}`,
    name,
    role,
    memberId: owner.value,
    createdBy: caller.actor,
    createdAt: new Date().toISOString(),
    revokedAt: null,
  };
  await insertToken(
    db,
    { ...record, tokenHash: await sha256Hex(token) },
    {
      actor: caller.actor,
      action: 'token.create',
      target: record.id,
      details: { name, before: null, after: { name, role, memberId: owner.value } },
    },
  );
  return ok({ record, token });
}

export function revokeApiToken(db: D1Database, actor: string, id: string): Promise<RevokeOutcome> {
  const at = new Date().toISOString();
  const audit = {
    actor,
    action: 'token.revoke',
    target: id,
    details: { before: { revokedAt: null }, after: { revokedAt: at } },
  };
  return revokeToken(db, id, audit, at);
}

/** The id of the member the token will belong to, once its role is within theirs and the caller's. */
async function tokenOwner(
  db: D1Database,
  caller: Principal,
  member: string | undefined,
  role: Role,
): Promise<Result<string | null, MemberFailure>> {
  if (!roleAllows(caller.role, role)) return err({ kind: 'role-above-yours', role, yours: caller.role });
  const memberId = member ?? caller.memberId;
  if (memberId === null) return ok(null);
  const found = await findMember(db, memberId);
  if (!found) return err({ kind: 'member-not-found' });
  if (!roleAllows(caller.role, found.role))
    return err({ kind: 'role-above-yours', role: found.role, yours: caller.role });
  if (found.disabledAt !== null) return err({ kind: 'member-disabled' });
  if (!roleAllows(found.role, role)) return err({ kind: 'role-above-member', role, memberRole: found.role });
  return ok(found.id);
}
