/**
 * Helpers for the team, session and authorization tests: inviting members and making
 * their tokens through the API with the bootstrap token, signing in through the real
 * form, and calling with a session cookie and its CSRF token as a browser would.
 */
import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { type CallOptions, callJson, type JsonBody } from './support.ts';

export type Role = 'viewer' | 'deployer' | 'admin' | 'owner';
export const ROLES: readonly Role[] = ['viewer', 'deployer', 'admin', 'owner'];
export const ORIGIN = 'https://control.test';

let members = 0;
/** An email no other test of the file uses. */
export function uniqueEmail(prefix = 'member'): string {
  members += 1;
  return `${prefix}-${members}@example.com`;
}

export interface Member {
  readonly id: string;
  readonly email: string;
  readonly password: string;
}

/** Invites a member with the bootstrap token (or `token`), failing the test unless created. */
export async function invite(role: Role, email = uniqueEmail(role), token?: string): Promise<Member> {
  const password = `password-of-${email}`;
  const { status, body } = await callJson('/api/v1/members', {
    json: { email, role, password },
    ...(token ? { token } : {}),
  });
  if (status !== 201) throw new Error(`inviting ${email}: ${status} ${JSON.stringify(body)}`);
  return { id: body.id, email, password };
}

/** A token of the member with the role (default: the member's own). */
export async function tokenOf(member: Member, role: Role): Promise<string> {
  const { status, body } = await callJson('/api/v1/tokens', {
    json: { name: `${member.email} ${role}`, role, member: member.email },
  });
  if (status !== 201) throw new Error(`a token for ${member.email}: ${status} ${JSON.stringify(body)}`);
  return body.token;
}

export interface Session {
  /** The `Cookie` header value. */
  readonly cookie: string;
  readonly csrfToken: string;
}

/** Posts the sign-in form as the control plane's own page would. */
export function postSignIn(email: string, password: string, headers: Record<string, string> = {}) {
  return browserRequest('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

/** Signs in, then reads the session's CSRF token from the form on the home page. */
export async function signIn(member: Pick<Member, 'email' | 'password'>): Promise<Session> {
  const response = await postSignIn(member.email, member.password);
  expect(response.status).toBe(303);
  const cookie = sessionCookieOf(response);
  const home = await browserRequest('/', { headers: { cookie } });
  expect(home.status).toBe(200);
  const csrfToken = /name="csrf" value="([^"]+)"/.exec(await home.text())?.[1];
  if (!csrfToken) throw new Error('the home page has no CSRF field');
  return { cookie, csrfToken };
}

/** `name=value` of the session cookie a response sets. */
export function sessionCookieOf(response: Response): string {
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie?.startsWith('__Host-edgeway_session=')) throw new Error(`no session cookie: ${cookie}`);
  return cookie;
}

/** An API call with the session: its CSRF token in the header and a same-origin Origin, unless overridden. */
export function sessionCall(
  path: string,
  session: Session,
  options: Omit<CallOptions, 'token'> = {},
): Promise<{ status: number; body: JsonBody }> {
  return callJson(path, {
    ...options,
    token: null,
    headers: {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
      origin: ORIGIN,
      ...options.headers,
    },
  });
}

/** A form a page of the control plane posts with the session: `fields` usually hold `csrf`. */
export function sessionForm(
  path: string,
  session: Session,
  fields: Record<string, string>,
  method = 'POST',
): Promise<Response> {
  return browserRequest(path, {
    method,
    headers: {
      cookie: session.cookie,
      origin: ORIGIN,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A request as a browser sends it: no bearer token, redirects not followed. */
export function browserRequest(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${ORIGIN}${path}`, { redirect: 'manual', ...init }));
}
