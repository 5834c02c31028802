/**
 * Roles, each allowed everything the one before it is: a viewer reads, a deployer also
 * deploys, rolls back and sets environment values, an admin also manages tokens,
 * consumers, keys and repositories and invites members, an owner also manages the team's
 * roles and its owners. What each action needs is in actions.ts.
 */
import { z } from 'zod';

export const ROLES = ['viewer', 'deployer', 'admin', 'owner'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** The lower of two roles: a member's token never acts above its member's role. */
export function lowerRole(a: Role, b: Role): Role {
  return roleAllows(a, b) ? b : a;
}
