/**
 * The team part of the control plane's REST API, typed for the CLI: the JSON the members
 * API answers (control-plane/src/store/members.ts) and one function a call. Failures
 * surface as the client's ApiError and UnreachableError.
 */
import type { ControlPlaneClient } from './control-plane-client.ts';

export type MemberRole = 'viewer' | 'deployer' | 'admin' | 'owner';

export interface Member {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: MemberRole;
  readonly disabledAt: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface Invitation {
  readonly email: string;
  readonly role: MemberRole;
  readonly name?: string;
  readonly password?: string;
}

/** A member just invited; `password` only when the control plane generated it. */
export interface InvitedMember extends Member {
  readonly password?: string;
}

const memberPath = (member: string) => `/api/v1/members/${encodeURIComponent(member)}`;

export async function listMembers(api: ControlPlaneClient): Promise<readonly Member[]> {
  return (await api.call<{ members: readonly Member[] }>('GET', '/api/v1/members')).members;
}

export function inviteMember(api: ControlPlaneClient, invitation: Invitation): Promise<InvitedMember> {
  return api.call('POST', '/api/v1/members', invitation);
}

export function setMemberRole(api: ControlPlaneClient, member: string, role: MemberRole): Promise<Member> {
  return api.call('PUT', `${memberPath(member)}/role`, { role });
}

export function setMemberDisabled(
  api: ControlPlaneClient,
  member: string,
  disabled: boolean,
): Promise<Member> {
  return api.call('POST', `${memberPath(member)}/${disabled ? 'disable' : 'enable'}`);
}

export async function removeMember(api: ControlPlaneClient, member: string): Promise<void> {
  await api.call('DELETE', memberPath(member));
}
