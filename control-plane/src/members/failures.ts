/** Why a change to the team or its tokens was refused: each has its public text in api/member-problems.ts. */
import type { Role } from '../auth/roles.ts';

export type MemberFailure =
  | { readonly kind: 'member-not-found' }
  | { readonly kind: 'member-exists'; readonly email: string }
  /** Granting a role above the caller's, or changing a member whose role is above it. */
  | { readonly kind: 'role-above-yours'; readonly role: Role; readonly yours: Role }
  | { readonly kind: 'last-owner' }
  /** A token's role above the role of the member it would belong to. */
  | { readonly kind: 'role-above-member'; readonly role: Role; readonly memberRole: Role }
  | { readonly kind: 'member-disabled' }
  | { readonly kind: 'changed' };
