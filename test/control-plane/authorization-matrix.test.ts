/**
 * The role-by-action matrix: every action of the catalogue (auth/actions.ts), taken by
 * every role, with an API token and with a dashboard session, is allowed exactly when the
 * role is at least the action's least role, and otherwise refused with 403 naming the
 * action. The requests are built to pass the role check and then stop (an invalid body,
 * an unknown name) so an allowed one changes nothing. `REQUESTS` is typed by the
 * catalogue: an action without a request here does not compile.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, type Action } from '../../control-plane/src/auth/actions.ts';
import { roleAllows } from '../../control-plane/src/auth/roles.ts';
import { callJson, type JsonBody } from './support.ts';
import { invite, ROLES, type Role, type Session, sessionCall, signIn, tokenOf } from './team-support.ts';

interface ActionRequest {
  readonly method: string;
  readonly path: string;
  readonly json?: unknown;
}

const NO_SUCH_KEY = 'key_00000000000000000000000000';
const INVALID = { unexpected: true };

const REQUESTS: Record<Action, ActionRequest> = {
  'settings.read': { method: 'GET', path: '/api/v1/settings' },
  'deployment.read': { method: 'GET', path: '/api/v1/deployments' },
  'deployment.create': { method: 'POST', path: '/api/v1/deployments', json: INVALID },
  'deployment.rollback': { method: 'POST', path: '/api/v1/environments/production/rollback', json: INVALID },
  'environment.read': { method: 'GET', path: '/api/v1/environments' },
  'environment.delete': { method: 'DELETE', path: '/api/v1/environments/no-such-environment' },
  'environment.value.read': { method: 'GET', path: '/api/v1/environments/production/vars' },
  'environment.value.set': {
    method: 'PUT',
    path: '/api/v1/environments/production/vars/NAME',
    json: INVALID,
  },
  'environment.value.unset': { method: 'DELETE', path: '/api/v1/environments/production/vars/NO_SUCH_VAR' },
  'consumer.read': { method: 'GET', path: '/api/v1/consumers' },
  'consumer.write': { method: 'POST', path: '/api/v1/consumers', json: INVALID },
  'key.write': { method: 'POST', path: `/api/v1/keys/${NO_SUCH_KEY}/roll`, json: INVALID },
  'analytics.read': { method: 'GET', path: '/api/v1/analytics/overview' },
  'repository.read': { method: 'GET', path: '/api/v1/repositories' },
  'repository.write': { method: 'POST', path: '/api/v1/repositories', json: INVALID },
  'token.read': { method: 'GET', path: '/api/v1/tokens' },
  'token.create': { method: 'POST', path: '/api/v1/tokens', json: INVALID },
  'token.revoke': { method: 'DELETE', path: '/api/v1/tokens/tok_no_such_token' },
  'audit.read': { method: 'GET', path: '/api/v1/audit' },
  'member.read': { method: 'GET', path: '/api/v1/members' },
  'member.invite': { method: 'POST', path: '/api/v1/members', json: INVALID },
  'member.disable': { method: 'POST', path: '/api/v1/members/nobody@example.com/disable' },
  'member.remove': { method: 'DELETE', path: '/api/v1/members/nobody@example.com' },
  'member.role.set': { method: 'PUT', path: '/api/v1/members/nobody@example.com/role', json: INVALID },
};

const tokens = new Map<Role, string>();
const sessions = new Map<Role, Session>();

beforeAll(async () => {
  for (const role of ROLES) {
    const member = await invite(role);
    tokens.set(role, await tokenOf(member, role));
    sessions.set(role, await signIn(member));
  }
});

const cases = Object.entries(ACTIONS).flatMap(([action, least]) =>
  ROLES.map((role) => ({ action: action as Action, role, allowed: roleAllows(role, least) })),
);

function expectDecision(
  { status, body }: { status: number; body: JsonBody },
  action: Action,
  allowed: boolean,
) {
  if (allowed) {
    expect(status, JSON.stringify(body)).not.toBe(401);
    expect(status, JSON.stringify(body)).not.toBe(403);
  } else {
    expect(status).toBe(403);
    expect(body).toMatchObject({ type: 'https://edgeway.dev/problems/forbidden', action });
  }
}

describe('every action by every role', () => {
  it('has a request for every action of the catalogue, and nothing else', () => {
    expect(Object.keys(REQUESTS).sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it.each(cases)('$action by a $role token: allowed $allowed', async ({ action, role, allowed }) => {
    const { method, path, json } = REQUESTS[action];
    const answer = await callJson(path, { method, token: tokens.get(role)!, ...(json ? { json } : {}) });
    expectDecision(answer, action, allowed);
  });

  it.each(cases)('$action by a $role session: allowed $allowed', async ({ action, role, allowed }) => {
    const { method, path, json } = REQUESTS[action];
    const answer = await sessionCall(path, sessions.get(role)!, { method, ...(json ? { json } : {}) });
    expectDecision(answer, action, allowed);
  });
});
