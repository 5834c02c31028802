/**
 * Bearer authentication and role checks for the API. A missing or unknown token is 401
 * with `WWW-Authenticate: Bearer`; a known token whose role is too low is 403.
 */
import { createMiddleware } from 'hono/factory';
import { type AuthFailure, authenticate } from '../auth/authenticate.ts';
import { type Role, roleAllows } from '../auth/roles.ts';
import type { AppEnv } from './context.ts';
import { type ProblemSpec, problem } from './problems.ts';

export const bearerAuth = createMiddleware<AppEnv>(async (c, next) => {
  const result = await authenticate(c.env.DB, c.env.ADMIN_TOKEN, c.req.header('authorization'));
  if (!result.ok) {
    return problem(c, unauthorizedProblem(result.error), {
      'www-authenticate': `Bearer realm="edgeway"${result.error === 'invalid-token' ? ', error="invalid_token"' : ''}`,
    });
  }
  c.set('principal', result.value);
  await next();
});

export function requireRole(role: Role) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const held = c.get('principal').role;
    if (!roleAllows(held, role)) {
      return problem(c, {
        slug: 'forbidden',
        status: 403,
        title: 'Role too low',
        detail: `This needs the ${role} role; the token used has the ${held} role.`,
      });
    }
    await next();
  });
}

function unauthorizedProblem(failure: AuthFailure): ProblemSpec {
  switch (failure) {
    case 'missing-token':
      return {
        slug: 'unauthorized',
        status: 401,
        title: 'Authentication required',
        detail: 'Send an API token as `Authorization: Bearer <token>`.',
      };
    case 'invalid-token':
      return {
        slug: 'unauthorized',
        status: 401,
        title: 'Invalid token',
        detail: 'The bearer token is unknown or revoked.',
      };
  }
}
