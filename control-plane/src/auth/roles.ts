/**
 * Roles, each allowed everything the one before it is: a viewer reads, a deployer also
 * deploys and rolls back, an admin also manages tokens, consumers and their API keys.
 */
import { z } from 'zod';

export const ROLES = ['viewer', 'deployer', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}
