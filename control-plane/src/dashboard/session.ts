/**
 * The session middleware of the dashboard's pages: it resolves the session cookie to the
 * member acting and their role (the `principal`, as the API sets it, so `authorize`
 * works the same) and the session's CSRF token for the page's forms. A page asked for
 * without a session redirects to the sign-in page; a mutation that fails the CSRF checks
 * is refused (api/session-auth.ts).
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../api/context.ts';
import { problem } from '../api/problems.ts';
import { sessionOf, sessionRefusalProblem } from '../api/session-auth.ts';
import { isMutation } from '../auth/csrf.ts';

export const SIGN_IN_PATH = '/auth/login';

export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const session = await sessionOf(c);
  if (!session.ok) {
    if (session.error === 'no-session' && !isMutation(c.req.method)) return c.redirect(SIGN_IN_PATH, 303);
    return problem(c, sessionRefusalProblem(session.error));
  }
  c.set('principal', session.value.principal);
  c.set('csrfToken', session.value.csrfToken);
  c.header('cache-control', 'no-store');
  await next();
});
