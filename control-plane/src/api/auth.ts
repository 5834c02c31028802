/**
 * Who is calling, and whether they may take the action a route names. A request with an
 * `Authorization` header is a bearer request (the bootstrap token or an API token); one
 * without it but with the session cookie is a session request, whose mutations pass the
 * CSRF checks first (session-auth.ts). No credential, or an unknown one, is 401 with
 * `WWW-Authenticate: Bearer`; an action above the caller's role is 403. `authorize(action)` is the one role check, for
 * the API and the dashboard alike: the least role of each action is in auth/actions.ts.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { type Action, allows, leastRole } from '../auth/actions.ts';
import { type AuthFailure, authenticate } from '../auth/authenticate.ts';
import type { Role } from '../auth/roles.ts';
import type { AppEnv } from './context.ts';
import { type ProblemSpec, problem } from './problems.ts';
import { sessionCookie, sessionOf, sessionRefusalProblem } from './session-auth.ts';

export const authenticateCaller = createMiddleware<AppEnv>(async (c, next) => {
  const authorization = c.req.header('authorization');
  if (authorization === undefined && sessionCookie(c) !== undefined) {
    const session = await sessionOf(c);
    if (!session.ok) {
      const spec = sessionRefusalProblem(session.error);
      return problem(c, spec, spec.status === 401 ? { 'www-authenticate': 'Bearer realm="edgeway"' } : {});
    }
    c.set('principal', session.value.principal);
    c.set('csrfToken', session.value.csrfToken);
    return next();
  }
  const result = await authenticate(c.env.DB, c.env.ADMIN_TOKEN, authorization);
  if (!result.ok) {
    return problem(c, unauthorizedProblem(result.error), {
      'www-authenticate': `Bearer realm="edgeway"${result.error === 'invalid-token' ? ', error="invalid_token"' : ''}`,
    });
  }
  c.set('principal', result.value);
  await next();
});

/** What a refused caller is told: a 403 problem, unless the route renders its own refusal (a dashboard page). */
export type RefusalRenderer = (
  c: Context<AppEnv>,
  action: Action,
  role: Role,
) => Response | Promise<Response>;

export function authorize(action: Action, renderRefusal?: RefusalRenderer) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { role, via } = c.get('principal');
    if (!allows(role, action)) {
      if (renderRefusal) return renderRefusal(c, action, role);
      const holder = via === 'session' ? 'your account' : 'the token used';
      return problem(c, {
        slug: 'forbidden',
        status: 403,
        title: 'Role too low',
        detail: `This needs the ${leastRole(action)} role; ${holder} has the ${role} role.`,
        extensions: { action },
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
        detail: 'Send an API token as `Authorization: Bearer <token>`, or sign in at /auth/login.',
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
