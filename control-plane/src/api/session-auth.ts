/**
 * The session cookie and what a request carrying it may do, for the API and the
 * dashboard alike. The cookie is `__Host-edgeway_session` (HttpOnly, Secure,
 * SameSite=Lax, Path=/, no Domain: RFC 6265bis's `__Host-` prefix pins it to this host),
 * lasting as long as its session. A mutation made with it must not be cross-site and must
 * carry the session's CSRF token, as the form field `csrf` or the header `x-csrf-token`.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { err, ok, type Result } from '../../../src/config/result.ts';
import { CSRF_FIELD, CSRF_HEADER, csrfTokenMatches, isCrossSite, isMutation } from '../auth/csrf.ts';
import { type ResolvedSession, resolveSession, type StartedSession } from '../auth/sessions.ts';
import type { AppEnv } from './context.ts';
import type { ProblemSpec } from './problems.ts';

const COOKIE_NAME = 'edgeway_session';
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

export type SessionRefusal = 'no-session' | 'cross-site' | 'csrf-token';

export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, COOKIE_NAME, 'host');
}

export function setSessionCookie(c: Context, session: StartedSession, now: Date): void {
  setCookie(c, COOKIE_NAME, session.id, {
    prefix: 'host',
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.floor((Date.parse(session.expiresAt) - now.getTime()) / 1000),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, COOKIE_NAME, { prefix: 'host', secure: true, path: '/' });
}

/** The session the cookie names, once a mutation has passed the CSRF checks. */
export async function sessionOf(c: Context<AppEnv>): Promise<Result<ResolvedSession, SessionRefusal>> {
  const id = sessionCookie(c);
  const session = id === undefined ? null : await resolveSession(c.env.DB, id, new Date());
  if (!session) return err('no-session');
  if (!isMutation(c.req.method)) return ok(session);
  if (isCrossSite(c.req.raw.headers, c.req.url)) return err('cross-site');
  const presented = c.req.header(CSRF_HEADER) ?? (await formField(c, CSRF_FIELD));
  return (await csrfTokenMatches(presented, session.csrfToken)) ? ok(session) : err('csrf-token');
}

/** A field of a form body; Hono keeps the parsed body, so the handler can read it again. */
async function formField(c: Context, name: string): Promise<string | undefined> {
  if (!FORM_TYPES.test(c.req.header('content-type') ?? '')) return undefined;
  const value = (await c.req.parseBody())[name];
  return typeof value === 'string' ? value : undefined;
}

export function sessionRefusalProblem(refusal: SessionRefusal): ProblemSpec {
  switch (refusal) {
    case 'no-session':
      return {
        slug: 'session-expired',
        status: 401,
        title: 'Not signed in',
        detail: 'The session has ended or is unknown; sign in again at /auth/login.',
      };
    case 'cross-site':
      return {
        slug: 'cross-site-request',
        status: 403,
        title: 'Cross-site request refused',
        detail: "A change made with a session must come from the control plane's own pages.",
      };
    case 'csrf-token':
      return {
        slug: 'csrf-token-invalid',
        status: 403,
        title: 'CSRF token missing or wrong',
        detail: `Send the session's CSRF token in the \`${CSRF_FIELD}\` form field or the \`${CSRF_HEADER}\` header.`,
      };
  }
}
