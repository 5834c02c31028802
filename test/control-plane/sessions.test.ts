/**
 * Dashboard sessions in the real worker: signing in through the form (the cookie and its
 * attributes, one answer for every wrong email or password, a bounded rate of failures),
 * what a session may do (read, and mutate only with its CSRF token from the same site),
 * signing out, expiry, and bearer requests, which need no CSRF token.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_FAILURES } from '../../control-plane/src/auth/sign-in.ts';
import { callJson } from './support.ts';
import {
  browserRequest,
  invite,
  type Member,
  postSignIn,
  sessionCall,
  sessionCookieOf,
  sessionForm,
  signIn,
  tokenOf,
  uniqueEmail,
} from './team-support.ts';

let admin: Member;

beforeAll(async () => {
  admin = await invite('admin');
});

const consumer = (name: string) => ({ method: 'POST', json: { name } });

describe('signing in', () => {
  it('shows the sign-in form', async () => {
    const response = await browserRequest('/auth/login');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const page = await response.text();
    expect(page).toContain('<form method="post" action="/auth/login">');
    expect(page).toContain('name="email"');
    expect(page).toContain('name="password"');
  });

  it('sets a host-only, HttpOnly, Secure, SameSite=Lax session cookie and redirects home', async () => {
    const response = await postSignIn(admin.email, admin.password);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-edgeway_session=[A-Za-z0-9_-]{43}; /);
    const attributes = cookie.split('; ').slice(1);
    expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=43200', 'Path=/', 'SameSite=Lax', 'Secure']);

    const home = await browserRequest('/', { headers: { cookie: sessionCookieOf(response) } });
    expect(home.status).toBe(200);
    expect(home.headers.get('cache-control')).toBe('no-store');
    expect(await home.text()).toContain(`(${admin.email}), admin`);
    // Signed in, the sign-in page sends you home.
    const again = await browserRequest('/auth/login', { headers: { cookie: sessionCookieOf(response) } });
    expect(again.status).toBe(303);
  });

  it('stores only the hash of the session id', async () => {
    const { cookie } = await signIn(admin);
    const id = cookie.split('=')[1]!;
    const { results } = await env.DB.prepare('SELECT * FROM sessions').all();
    expect(JSON.stringify(results)).not.toContain(id);
  });

  it('gives a new session id on each sign-in and ends the one the browser had', async () => {
    const first = await signIn(admin);
    const response = await postSignIn(admin.email, admin.password, { cookie: first.cookie });
    const second = sessionCookieOf(response);
    expect(second).not.toBe(first.cookie);
    expect((await sessionCall('/api/v1/consumers', first)).status).toBe(401);
    expect((await browserRequest('/', { headers: { cookie: second } })).status).toBe(200);
  });

  it('answers a wrong password, an unknown email and a disabled member alike', async () => {
    const disabled = await invite('viewer');
    expect((await callJson(`/api/v1/members/${disabled.email}/disable`, { method: 'POST' })).status).toBe(
      200,
    );
    const attempts = [
      [admin.email, 'not-the-password'],
      [uniqueEmail('unknown'), 'not-the-password'],
      [disabled.email, disabled.password],
    ] as const;
    const pages = [];
    for (const [email, password] of attempts) {
      const response = await postSignIn(email, password, { 'cf-connecting-ip': '192.0.2.10' });
      expect(response.status).toBe(401);
      expect(response.headers.get('set-cookie')).toBeNull();
      pages.push((await response.text()).replace(email, '<email>'));
    }
    expect(pages[1]).toBe(pages[0]);
    expect(pages[2]).toBe(pages[0]);
    expect(pages[0]).toContain('The email or password is wrong, or the account is disabled.');
  });

  it('refuses sign-in for a while after repeated failures for one email from one address', async () => {
    const member = await invite('viewer');
    const from = (ip: string, password = 'wrong-password') =>
      postSignIn(member.email, password, { 'cf-connecting-ip': ip });
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      expect((await from('198.51.100.7')).status).toBe(401);
    }
    const limited = await from('198.51.100.7', member.password);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    // Another address is not held back.
    expect((await from('198.51.100.8', member.password)).status).toBe(303);
  });

  it('refuses a sign-in form posted from another site', async () => {
    const forged = await postSignIn(admin.email, admin.password, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
    const fetched = await postSignIn(admin.email, admin.password, { 'sec-fetch-site': 'cross-site' });
    expect(fetched.status).toBe(403);
  });
});

describe('a session', () => {
  it('reads the API with its member role and refuses what the role does not allow', async () => {
    const viewer = await signIn(await invite('viewer'));
    expect((await sessionCall('/api/v1/deployments', viewer)).status).toBe(200);
    const refused = await sessionCall('/api/v1/consumers', viewer, consumer('by-viewer'));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe('This needs the admin role; your account has the viewer role.');
  });

  it('mutates with its CSRF token in the header or the form, recorded as the member', async () => {
    const session = await signIn(admin);
    const created = await sessionCall('/api/v1/consumers', session, consumer('by-session'));
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toBe(`member:${admin.id}`);

    const form = await sessionForm(
      '/api/v1/consumers/by-session',
      session,
      { csrf: session.csrfToken },
      'DELETE',
    );
    expect(form.status).toBe(204);
  });

  it('cannot mutate without its CSRF token, or with another', async () => {
    const session = await signIn(admin);
    const other = await signIn(await invite('admin'));
    const withoutToken = await browserRequest('/api/v1/consumers', {
      method: 'POST',
      headers: { cookie: session.cookie, origin: 'https://control.test', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'no-csrf' }),
    });
    expect(withoutToken.status).toBe(403);
    for (const token of ['', other.csrfToken]) {
      const headers = { 'x-csrf-token': token };
      const refused = await sessionCall('/api/v1/consumers', session, { ...consumer('no-csrf'), headers });
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('https://edgeway.dev/problems/csrf-token-invalid');
    }
    expect((await sessionCall('/api/v1/consumers/no-csrf', session)).status).toBe(404);
  });

  it('cannot mutate from another site, even with its CSRF token', async () => {
    const session = await signIn(admin);
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const refused = await sessionCall('/api/v1/consumers', session, { ...consumer('cross-site'), headers });
      expect(refused.status).toBe(403);
      expect(refused.body.type).toBe('https://edgeway.dev/problems/cross-site-request');
    }
    const sameSite = await sessionCall('/api/v1/consumers', session, {
      ...consumer('same-origin'),
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(sameSite.status).toBe(201);
  });

  it('ends on sign-out: the cookie is cleared and no longer works', async () => {
    const session = await signIn(admin);
    expect((await sessionForm('/auth/logout', session, {})).status).toBe(403);

    const response = await sessionForm('/auth/logout', session, { csrf: session.csrfToken });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/auth/login');
    expect(response.headers.get('set-cookie')).toMatch(/^__Host-edgeway_session=; Max-Age=0; /);
    expect((await sessionCall('/api/v1/deployments', session)).status).toBe(401);
    const home = await browserRequest('/', { headers: { cookie: session.cookie } });
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/auth/login');
  });

  it('is refused once expired', async () => {
    const session = await signIn(admin);
    expect((await sessionCall('/api/v1/deployments', session)).status).toBe(200);
    await env.DB.prepare("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'").run();
    const expired = await sessionCall('/api/v1/deployments', session);
    expect(expired.status).toBe(401);
    expect(expired.body.type).toBe('https://edgeway.dev/problems/session-expired');
    expect((await browserRequest('/', { headers: { cookie: session.cookie } })).status).toBe(303);
  });
});

describe('bearer requests', () => {
  it('need no CSRF token, whatever the Origin, and ignore a session cookie', async () => {
    const token = await tokenOf(admin, 'admin');
    const created = await callJson('/api/v1/consumers', {
      token,
      json: { name: 'by-bearer' },
      headers: { origin: 'https://evil.example', cookie: '__Host-edgeway_session=unknown' },
    });
    expect(created.status).toBe(201);
    expect(created.body.createdBy).toMatch(/^token:tok_/);
  });
});
