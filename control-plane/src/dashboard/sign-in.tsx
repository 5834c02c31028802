/**
 * Signing in and out of the dashboard. `GET /auth/login` shows the form (or goes home
 * when already signed in); `POST /auth/login` checks the email and password, starts a
 * session (a new id each time, replacing the browser's previous one), sets the cookie and
 * redirects to `/`; a refusal shows the form again with one message for every wrong
 * email or password. The form post must not be cross-site (a forged sign-in would sign
 * the victim in as the attacker). `POST /auth/logout` ends the session, with the CSRF
 * checks of any session mutation, and clears the cookie.
 */
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../api/context.ts';
import { problem } from '../api/problems.ts';
import {
  clearSessionCookie,
  sessionCookie,
  sessionOf,
  sessionRefusalProblem,
  setSessionCookie,
} from '../api/session-auth.ts';
import { isCrossSite } from '../auth/csrf.ts';
import { endSession, startSession } from '../auth/sessions.ts';
import { checkCredentials, type SignInFailure } from '../auth/sign-in.ts';
import { SIGN_IN_PATH } from './session.ts';
import { SignInPage } from './sign-in-page.tsx';

const HOME_PATH = '/';
const MAX_FIELD_LENGTH = 1024;
const WRONG_CREDENTIALS = 'The email or password is wrong, or the account is disabled.';

export const signInRoutes = new Hono<AppEnv>()
  .get('/login', async (c) => {
    const session = await sessionOf(c);
    if (session.ok) return c.redirect(HOME_PATH, 303);
    c.header('cache-control', 'no-store');
    return c.html(<SignInPage />);
  })
  .post('/login', async (c) => {
    c.header('cache-control', 'no-store');
    if (isCrossSite(c.req.raw.headers, c.req.url)) {
      return c.html(<SignInPage message="Sign in from this page, not from another site." />, 403);
    }
    const form = await c.req.parseBody();
    const email = typeof form.email === 'string' ? form.email.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    if (!email || !password || email.length > MAX_FIELD_LENGTH || password.length > MAX_FIELD_LENGTH) {
      return c.html(<SignInPage message="Give your email and password." email={email} />, 400);
    }
    const now = new Date();
    const clientIp = c.req.header('cf-connecting-ip') ?? 'unknown';
    const member = await checkCredentials(c.env.DB, { email, password, clientIp }, now);
    if (!member.ok) return refusal(c, member.error, email);
    const session = await startSession(c.env.DB, member.value.id, sessionCookie(c), now);
    setSessionCookie(c, session, now);
    return c.redirect(HOME_PATH, 303);
  })
  .post('/logout', async (c) => {
    const session = await sessionOf(c);
    if (!session.ok && session.error !== 'no-session')
      return problem(c, sessionRefusalProblem(session.error));
    if (session.ok) await endSession(c.env.DB, sessionCookie(c)!);
    clearSessionCookie(c);
    return c.redirect(SIGN_IN_PATH, 303);
  });

/** The form again, with why signing in was refused and the email typed. */
function refusal(c: Context<AppEnv>, failure: SignInFailure, email: string) {
  switch (failure.kind) {
    case 'invalid-credentials':
      return c.html(<SignInPage message={WRONG_CREDENTIALS} email={email} />, 401);
    case 'too-many-failures': {
      const minutes = Math.ceil(failure.retryAfterSeconds / 60);
      c.header('retry-after', String(failure.retryAfterSeconds));
      const message = `Too many failed sign-ins for this email; try again in ${minutes} minutes.`;
      return c.html(<SignInPage message={message} email={email} />, 429);
    }
  }
}
