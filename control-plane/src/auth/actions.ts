/**
 * The action catalogue: every action the API and the dashboard let a caller take, with
 * the least role allowed to take it. Routes name an action (`authorize('key.write')`),
 * never a role, so who may do what is decided here alone, and the role-by-action tests
 * walk this table.
 */
import { type Role, roleAllows } from './roles.ts';

export const ACTIONS = {
  'settings.read': 'viewer',
  'deployment.read': 'viewer',
  'deployment.create': 'deployer',
  'deployment.rollback': 'deployer',
  'environment.read': 'viewer',
  'environment.delete': 'deployer',
  'environment.value.read': 'viewer',
  'environment.value.set': 'deployer',
  'environment.value.unset': 'deployer',
  'consumer.read': 'viewer',
  'consumer.write': 'admin',
  'key.write': 'admin',
  'analytics.read': 'viewer',
  'repository.read': 'admin',
  'repository.write': 'admin',
  'token.read': 'admin',
  'token.create': 'admin',
  'token.revoke': 'admin',
  'audit.read': 'admin',
  'member.read': 'admin',
  'member.invite': 'admin',
  'member.disable': 'admin',
  'member.remove': 'admin',
  'member.role.set': 'owner',
} as const satisfies Record<string, Role>;

export type Action = keyof typeof ACTIONS;

export function leastRole(action: Action): Role {
  return ACTIONS[action];
}

export function allows(role: Role, action: Action): boolean {
  return roleAllows(role, ACTIONS[action]);
}
