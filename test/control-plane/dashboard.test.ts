/**
 * The dashboard in the real worker: its static files (hashed paths, a year's caching),
 * the overview's figures and chart data from events delivered through the real queue()
 * handler, the traffic breakdowns, rolling back and issuing keys through the forms, what
 * each role sees and may post (a refused page or form is a 403 page, and changes
 * nothing), and that every form needs the session's CSRF token.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyticsEvent, deliver, messagesOf } from './analytics-support.ts';
import { uniqueConsumer } from './consumer-support.ts';
import { callJson, deployLive, readPointer, uniqueEnvironment } from './support.ts';
import { browserRequest, invite, type Role, type Session, sessionForm, signIn } from './team-support.ts';

const sessions = new Map<Role, Session>();

beforeAll(async () => {
  for (const role of ['viewer', 'deployer', 'admin', 'owner'] as const) {
    sessions.set(role, await signIn(await invite(role)));
  }
});

function page(path: string, role: Role): Promise<Response> {
  return browserRequest(path, { headers: { cookie: sessions.get(role)!.cookie } });
}

async function pageText(path: string, role: Role): Promise<string> {
  const response = await page(path, role);
  expect(response.status, path).toBe(200);
  return response.text();
}

/** A form posted from the dashboard's own page with the session's CSRF token. */
function post(path: string, role: Role, fields: Record<string, string> = {}): Promise<Response> {
  const session = sessions.get(role)!;
  return sessionForm(path, session, { csrf: session.csrfToken, ...fields });
}

function assetPaths(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
}

describe('static files', () => {
  it('serves uPlot and the dashboard files under hashed paths, cached for a year', async () => {
    const paths = assetPaths(await pageText('/', 'viewer'));
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/assets\/uPlot\.[0-9a-f]{8}\.js$/),
        expect.stringMatching(/^\/assets\/uPlot\.[0-9a-f]{8}\.css$/),
        expect.stringMatching(/^\/assets\/dashboard\.[0-9a-f]{8}\.css$/),
        expect.stringMatching(/^\/assets\/charts\.[0-9a-f]{8}\.js$/),
      ]),
    );
    for (const path of paths) {
      const response = await browserRequest(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-type')).toMatch(
        path.endsWith('.js') ? /^text\/javascript/ : /^text\/css/,
      );
      expect((await response.text()).length).toBeGreaterThan(100);
    }
    const uplot = await browserRequest(
      paths.find((path) => path.startsWith('/assets/uPlot.') && path.endsWith('.js'))!,
    );
    expect(await uplot.text()).toContain('uPlot');
    expect((await browserRequest('/assets/uPlot.00000000.js')).status).toBe(404);
  });
});

describe('overview and traffic', () => {
  it('shows the figures, the chart data and the deployments of the range', async () => {
    const environment = uniqueEnvironment('overview');
    const deployment = await deployLive(environment);
    const events = [
      ...Array.from({ length: 6 }, () => analyticsEvent({ environment, latencyMs: 4 })),
      analyticsEvent({ environment, status: 503, outcome: 'upstream-error', latencyMs: 4 }),
      analyticsEvent({
        environment,
        status: 429,
        outcome: 'rate-limited',
        route: 'GET /limited',
        latencyMs: 1,
      }),
      analyticsEvent({ environment, status: 401, outcome: 'auth-rejected', latencyMs: 1 }),
      analyticsEvent({ environment, status: 401, outcome: 'auth-rejected', latencyMs: 1 }),
    ];
    await deliver(messagesOf(events));

    const html = await pageText(`/?environment=${environment}&range=1h`, 'viewer');
    const figure = (name: string) =>
      new RegExp(`data-figure="${name}"><dt>[^<]+</dt><dd>([^<]+)</dd>`).exec(html)?.[1];
    expect(figure('requests')).toBe('10');
    expect(figure('error-rate')).toBe('10.0% (1)');
    expect(figure('p50')).toBe('4 ms');
    expect(figure('rate-limited')).toBe('1');
    expect(figure('auth-rejected')).toBe('2');
    const data = JSON.parse(
      /<script type="application\/json" id="overview-data">([^<]*)<\/script>/.exec(html)![1]!,
    );
    expect(data.time).toHaveLength(60);
    expect(data.requests.reduce((sum: number, value: number) => sum + value, 0)).toBe(10);
    expect(data.deployments).toEqual([{ time: Date.parse(deployment.createdAt) / 1000, label: '4f2c1e9' }]);
    expect(html).toContain(`<code>${deployment.id}</code>`);

    const filtered = await pageText(`/?environment=${environment}&range=1h&route=GET+%2Flimited`, 'viewer');
    expect(/data-figure="requests"><dt>[^<]+<\/dt><dd>([^<]+)</.exec(filtered)?.[1]).toBe('1');
  });

  it('breaks traffic down by route, consumer and status, and lists the newest requests', async () => {
    const environment = uniqueEnvironment('traffic');
    const event = analyticsEvent({ environment, consumerId: 'con_1', consumerName: 'acme-mobile' });
    await deliver(
      messagesOf([event, analyticsEvent({ environment, status: 404, route: null, outcome: 'no-route' })]),
    );
    const html = await pageText(`/traffic?environment=${environment}&range=1h`, 'viewer');
    expect(html).toContain(`href="/?environment=${environment}&amp;range=1h&amp;route=GET+%2Fusers%2F%3Aid"`);
    expect(html).toContain(
      `href="/?environment=${environment}&amp;range=1h&amp;consumer=con_1">acme-mobile</a>`,
    );
    expect(html).toContain('<td>404</td>');
    expect(html).toContain(`<code>${event.requestId}</code>`);
    expect(html).toContain(
      `data-live-requests="/api/v1/analytics/requests?environment=${environment}&amp;limit=50"`,
    );
  });

  it('keeps the view in the URL: links carry the environment and range, a bad value falls back', async () => {
    const html = await pageText('/traffic?environment=staging&range=7d', 'viewer');
    expect(html).toContain('href="/deployments?environment=staging&amp;range=7d"');
    expect(html).toContain('href="/traffic?environment=staging&amp;range=30d"');
    expect(await pageText('/?environment=Not%20An%20Env&range=1y', 'viewer')).toContain(
      'production: last 24 hours',
    );
  });
});

describe('deployments', () => {
  it('rolls back from the confirmation form, and shows compile errors', async () => {
    const environment = uniqueEnvironment('dash-rollback');
    const first = await deployLive(environment, { tag: 'one' });
    const second = await deployLive(environment, { tag: 'two' });
    const broken = await callJson('/api/v1/deployments', {
      json: {
        environment,
        files: { 'edgeway.yaml': 'version: 1\nroutes: [{ path: /x, upstream: nowhere }]\n' },
        commit: 'bad',
        branch: 'main',
        author: 'Ada',
        message: 'Broken',
      },
    });
    expect(broken.status).toBe(422);

    const history = await pageText(`/deployments?environment=${environment}`, 'deployer');
    expect(history).toContain(
      `href="/deployments/${first.id}/rollback?environment=${environment}&amp;range=24h"`,
    );
    expect(history).not.toContain(`/deployments/${second.id}/rollback`);
    expect(history).toContain('edgeway.yaml:2:');

    const confirmation = await pageText(`/deployments/${first.id}/rollback`, 'deployer');
    expect(confirmation).toContain(`<form method="post" action="/deployments/${first.id}/rollback">`);
    expect((await readPointer(environment))?.deploymentId).toBe(second.id);

    const response = await post(`/deployments/${first.id}/rollback`, 'deployer');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/deployments?environment=${environment}`);
    expect((await readPointer(environment))?.deploymentId).toBe(first.id);
    const again = await post(`/deployments/${first.id}/rollback`, 'deployer');
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('<h1>');
  });

  it('shows a viewer no rollback button and refuses a forged rollback with a 403 page', async () => {
    const environment = uniqueEnvironment('viewer-rollback');
    const first = await deployLive(environment, { tag: 'one' });
    const second = await deployLive(environment, { tag: 'two' });
    const history = await pageText(`/deployments?environment=${environment}`, 'viewer');
    expect(history).toContain(`<code>${first.id}</code>`);
    expect(history).not.toContain('Roll back to this');

    const forged = await post(`/deployments/${first.id}/rollback`, 'viewer');
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toContain('text/html');
    expect(await forged.text()).toContain('This needs the deployer role; your account has the viewer role.');
    expect((await readPointer(environment))?.deploymentId).toBe(second.id);
    expect((await page(`/deployments/${first.id}/rollback`, 'viewer')).status).toBe(403);
  });
});

describe('consumers and keys', () => {
  it('creates a consumer and a key from the forms, showing the key once', async () => {
    const name = uniqueConsumer('dash');
    const created = await post('/consumers', 'admin', { name, tags: 'partner, mobile', plan: '' });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe(`/consumers/${name}`);

    const issued = await post(`/consumers/${name}/keys`, 'admin', { keySet: 'live', expiresOn: '' });
    expect(issued.status).toBe(201);
    const shown = await issued.text();
    const key = /<output class="secret" data-secret="true">([^<]+)<\/output>/.exec(shown)![1]!;
    expect(shown).toContain('it will not be shown again');
    const listed = await callJson(`/api/v1/consumers/${name}/keys`);
    expect(listed.body.keys).toEqual([expect.objectContaining({ state: 'active' })]);

    const consumerPage = await pageText(`/consumers/${name}`, 'admin');
    expect(consumerPage).not.toContain(key);
    expect(consumerPage).toContain(`${listed.body.keys[0].hint}…`);

    const revoked = await post(`/keys/${listed.body.keys[0].id}/revoke`, 'admin');
    expect(revoked.status).toBe(303);
    expect((await callJson(`/api/v1/consumers/${name}/keys`)).body.keys[0].state).toBe('revoked');
  });

  it('shows a viewer no key buttons and refuses forged key and consumer forms', async () => {
    const name = uniqueConsumer('viewer');
    expect((await post('/consumers', 'admin', { name })).status).toBe(303);
    const html = await pageText(`/consumers/${name}`, 'viewer');
    expect(html).not.toContain('Create key');
    expect(await pageText('/consumers', 'viewer')).not.toContain('Create consumer');

    expect((await post(`/consumers/${name}/keys`, 'viewer', { keySet: 'live' })).status).toBe(403);
    expect((await post('/consumers', 'viewer', { name: uniqueConsumer('forged') })).status).toBe(403);
    expect((await callJson(`/api/v1/consumers/${name}/keys`)).body.keys).toEqual([]);
  });

  it('refuses a form without the CSRF token', async () => {
    const session = sessions.get('admin')!;
    const response = await sessionForm('/consumers', session, { name: uniqueConsumer('csrf') });
    expect(response.status).toBe(403);
    expect((await response.json<{ type: string }>()).type).toContain('csrf-token-invalid');
  });
});

describe('team and audit', () => {
  it('lets an admin invite a member, showing a generated password once, and shows the audit log', async () => {
    const email = `dash-invite-${Date.now()}@example.com`;
    const invited = await post('/team/members', 'admin', { email, name: '', role: 'viewer', password: '' });
    expect(invited.status).toBe(201);
    expect(await invited.text()).toMatch(
      /<output class="secret" data-secret="true">[A-Za-z0-9_-]{24}<\/output>/,
    );
    const team = await pageText('/team', 'admin');
    expect(team).toContain(`data-member="${email}"`);

    const audit = await pageText('/audit', 'admin');
    expect(audit).toContain('<code>member.invite</code>');
    expect(audit).toContain(`&quot;email&quot;: &quot;${email}&quot;`);
  });

  it('keeps a deployer out of the team and the audit log, and out of the navigation', async () => {
    expect((await page('/team', 'deployer')).status).toBe(403);
    expect((await page('/audit', 'deployer')).status).toBe(403);
    const forged = await post('/team/members', 'deployer', { email: 'nope@example.com', role: 'viewer' });
    expect(forged.status).toBe(403);
    expect(await callJson('/api/v1/members/nope@example.com/disable', { method: 'POST' })).toMatchObject({
      status: 404,
    });
    const html = await pageText('/', 'deployer');
    expect(html).not.toContain('href="/team');
    expect(html).toContain('href="/deployments');
  });

  it('shows an admin no role selector: only owners change roles', async () => {
    expect(await pageText('/team', 'admin')).not.toContain('aria-label="Role of');
    expect(await pageText('/team', 'owner')).toContain('aria-label="Role of');
  });
});

describe('pages', () => {
  it('send the page headers, and send a visitor without a session to sign in', async () => {
    const response = await page('/deployments', 'viewer');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const anonymous = await browserRequest('/consumers');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/auth/login');
  });
});
