/**
 * Changes to the team: inviting a member, setting their role, disabling, enabling and
 * removing them. The action catalogue has already let the caller in; these add the rules
 * that depend on the members involved: nobody grants a role above their own (so only an
 * owner makes owners) or changes a member who outranks them, and the team never loses its
 * last enabled owner. Each change is audited with its before and after.
 */
import { hashPassword } from '../../../src/config/password-hash.ts';
import { err, ok, type Result } from '../../../src/config/result.ts';
import type { Principal } from '../auth/authenticate.ts';
import { type Role, roleAllows } from '../auth/roles.ts';
import { randomSecret } from '../auth/token-crypto.ts';
import { timeOrderedId } from '../ids.ts';
import {
  countOtherEnabledOwners,
  deleteMember,
  findMember,
  insertMember,
  type MemberRecord,
  updateMember,
} from '../store/members.ts';
import type { MemberFailure } from './failures.ts';

export interface Invitation {
  readonly email: string;
  readonly name?: string | undefined;
  readonly role: Role;
  /** Omitted: one is generated and answered this once. */
  readonly password?: string | undefined;
}

export interface InvitedMember {
  readonly member: MemberRecord;
  readonly generatedPassword: string | null;
}

/** Random passwords: 18 bytes, 24 base64url characters. */
const GENERATED_PASSWORD_BYTES = 18;

export async function inviteMember(
  db: D1Database,
  caller: Principal,
  invitation: Invitation,
): Promise<Result<InvitedMember, MemberFailure>> {
  const denied = grantDenied(caller, invitation.role);
  if (denied) return err(denied);
  const password = invitation.password ?? randomSecret(GENERATED_PASSWORD_BYTES);
  const at = new Date().toISOString();
  const member: MemberRecord = {
    id: `mem_${timeOrderedId()}`,
    email: invitation.email,
    name: invitation.name ?? invitation.email.split('@')[0]!,
    role: invitation.role,
    disabledAt: null,
    createdBy: caller.actor,
    createdAt: at,
    updatedBy: caller.actor,
    updatedAt: at,
  };
  const passwordHash = await hashPassword(password);
  const audit = {
    actor: caller.actor,
    action: 'member.invite',
    target: member.id,
    details: changeDetails(null, member),
  };
  if ((await insertMember(db, { ...member, passwordHash }, audit)) === 'duplicate')
    return err({ kind: 'member-exists', email: member.email });
  return ok({ member, generatedPassword: invitation.password ? null : password });
}

export function setMemberRole(db: D1Database, caller: Principal, idOrEmail: string, role: Role) {
  return changeMember(db, caller, idOrEmail, 'member.role.set', (previous) => ({
    role,
    disabledAt: previous.disabledAt,
  }));
}

export function setMemberDisabled(db: D1Database, caller: Principal, idOrEmail: string, disabled: boolean) {
  const at = new Date().toISOString();
  return changeMember(db, caller, idOrEmail, disabled ? 'member.disable' : 'member.enable', (previous) => ({
    role: previous.role,
    disabledAt: disabled ? (previous.disabledAt ?? at) : null,
  }));
}

export async function removeMember(
  db: D1Database,
  caller: Principal,
  idOrEmail: string,
): Promise<Result<MemberRecord, MemberFailure>> {
  const previous = await findMember(db, idOrEmail);
  if (!previous) return err({ kind: 'member-not-found' });
  const refused = await changeRefused(db, caller, previous, null);
  if (refused) return err(refused);
  const change = { by: caller.actor, at: new Date().toISOString() };
  const audit = {
    actor: caller.actor,
    action: 'member.remove',
    target: previous.id,
    details: changeDetails(previous, null),
  };
  if ((await deleteMember(db, previous, change, audit)) === 'changed') return err({ kind: 'changed' });
  return ok(previous);
}

type NextState = { readonly role: Role; readonly disabledAt: string | null };

async function changeMember(
  db: D1Database,
  caller: Principal,
  idOrEmail: string,
  action: string,
  next: (previous: MemberRecord) => NextState,
): Promise<Result<MemberRecord, MemberFailure>> {
  const previous = await findMember(db, idOrEmail);
  if (!previous) return err({ kind: 'member-not-found' });
  const state = next(previous);
  const refused = await changeRefused(db, caller, previous, state);
  if (refused) return err(refused);
  const change = { by: caller.actor, at: new Date().toISOString() };
  const updated: MemberRecord = { ...previous, ...state, updatedBy: change.by, updatedAt: change.at };
  const audit = {
    actor: caller.actor,
    action,
    target: previous.id,
    details: changeDetails(previous, updated),
  };
  if ((await updateMember(db, previous, state, change, audit)) === 'changed') return err({ kind: 'changed' });
  return ok(updated);
}

/** Why the caller may not move `previous` to `next` (null: remove it). */
async function changeRefused(
  db: D1Database,
  caller: Principal,
  previous: MemberRecord,
  next: NextState | null,
): Promise<MemberFailure | undefined> {
  const denied = grantDenied(caller, previous.role) ?? (next ? grantDenied(caller, next.role) : undefined);
  if (denied) return denied;
  const wasOwner = previous.role === 'owner' && previous.disabledAt === null;
  const staysOwner = next?.role === 'owner' && next.disabledAt === null;
  if (wasOwner && !staysOwner && (await countOtherEnabledOwners(db, previous.id)) === 0)
    return { kind: 'last-owner' };
  return undefined;
}

function grantDenied(caller: Principal, role: Role): MemberFailure | undefined {
  return roleAllows(caller.role, role) ? undefined : { kind: 'role-above-yours', role, yours: caller.role };
}

/** A member as the audit log shows it before and after a change: never the password hash. */
function changeDetails(before: MemberRecord | null, after: MemberRecord | null) {
  const fields = (member: MemberRecord | null) =>
    member && {
      email: member.email,
      name: member.name,
      role: member.role,
      disabled: member.disabledAt !== null,
    };
  return { email: (after ?? before)!.email, before: fields(before), after: fields(after) };
}
