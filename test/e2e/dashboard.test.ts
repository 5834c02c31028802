/**
 * The dashboard in Debian's Chromium, against the real processes (both workers under
 * wrangler dev and the demo upstream): the local owner signs in; traffic through the data
 * plane, some of it refused by an API-key policy and a rate limit, reaches the overview's
 * figures and charts and the traffic tables through the real Queue; a rollback from the
 * UI makes the environment serve the previous deployment; a consumer and a key made in
 * the UI (the key shown once) are accepted at the edge; a viewer, invited through the API
 * with the owner's session, sees no rollback or key buttons and a forged form gets the
 * 403 page. Each page is saved as a screenshot (test/e2e/support/browser.ts says where).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneClient } from '../../cli/lib/control-plane-client.ts';
import { ensureLocalOwner, type LocalOwner } from '../../scripts/lib/local-owner.ts';
import { type LocalStack, startLocalStack, waitUntilServing } from '../../scripts/lib/local-stack.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { chromiumAvailable, launchChromium, reloadUntil, screenshot } from './support/browser.ts';
import { eventually } from './support/data-plane.ts';

/** Queue batches wait up to a second; the rest is slack for the processes. */
const ARRIVAL_TIMEOUT_MS = 30_000;
const RATE_LIMIT = 3;
const persistTo = mkdtempSync(join(tmpdir(), 'edgeway-e2e-dashboard-'));
let stack: LocalStack;
let owner: LocalOwner;
let browser: Browser;
let ownerContext: BrowserContext;
let ownerPage: Page;
const deployments: string[] = [];

const config = (upstream: string, greeting: string) => `version: 1
upstreams:
  demo: { url: "${upstream}" }
policies:
  partners:
    type: api-key-auth
  few:
    type: rate-limit
    options:
      key: { by: route }
      limits: [{ requests: ${RATE_LIMIT}, window: 1h }]
  greet:
    type: set-headers
    options:
      set: { x-greeting: ${greeting} }
routes:
  - path: /echo/*
    upstream: demo
    outbound: [greet]
  - path: /partners/*
    upstream: demo
    inbound: [partners]
  - path: /limited
    inbound: [few]
    mock: { body: admitted }
`;

async function edge(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(`${stack.dataUrl}${path}`, { headers });
  await response.arrayBuffer();
  return response;
}

async function signIn(context: BrowserContext, email: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${stack.controlUrl}/auth/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL(`${stack.controlUrl}/`), page.click('button[type="submit"]')]);
  return page;
}

const figure = (page: Page, name: string) => page.textContent(`[data-figure="${name}"] dd`);

const runs = chromiumAvailable();

beforeAll(async () => {
  if (!runs) return;
  stack = await startLocalStack({
    root: resolve(import.meta.dirname, '../..'),
    persistTo,
    dataPort: await freePort(),
    controlPort: await freePort(),
    upstreamPort: await freePort(),
    pointerTtlMs: 500,
    // The rate-limit zone's first call starts its Durable Object, slow under wrangler dev.
    zoneTimeoutMs: 30_000,
  });
  const api = new ControlPlaneClient(stack.controlUrl, stack.adminToken);
  owner = await ensureLocalOwner(api, persistTo);
  for (const greeting of ['first', 'second']) {
    const deployed = await api.deploy({
      environment: 'production',
      files: { 'edgeway.yaml': config(stack.upstreamUrl, greeting) },
      commit: createHash('sha1').update(greeting).digest('hex'),
      branch: 'main',
      author: 'Ada <ada@example.com>',
      message: `Say ${greeting}`,
    });
    deployments.push(deployed.id);
  }
  await waitUntilServing(stack.dataUrl, deployments[1]!);
  browser = await launchChromium();
  ownerContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

describe.skipIf(!runs)('the dashboard in Chromium', () => {
  it('signs the local owner in', async () => {
    const page = await ownerContext.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${stack.controlUrl}/auth/login`);
    await screenshot(page, 'sign-in');
    await page.close();
    ownerPage = await signIn(ownerContext, owner.email, owner.password);
    expect(await ownerPage.textContent('.who')).toContain(`(${owner.email}), owner`);
  });

  it('shows traffic through the data plane in the overview and the traffic tables', async () => {
    for (let i = 0; i < 5; i++) expect((await edge(`/echo/item-${i}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await edge('/partners/orders')).status).toBe(401);
    const limited: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 2; i++) limited.push((await edge('/limited')).status);
    const refusedByLimit = limited.filter((status) => status === 429).length;
    const sent = 5 + 2 + RATE_LIMIT + 2;

    await ownerPage.goto(`${stack.controlUrl}/?environment=production&range=1h`);
    await reloadUntil(
      ownerPage,
      async () => Number(await figure(ownerPage, 'requests')) >= sent,
      ARRIVAL_TIMEOUT_MS,
    );
    expect(await figure(ownerPage, 'auth-rejected')).toBe('2');
    expect(await figure(ownerPage, 'rate-limited')).toBe(String(refusedByLimit));
    expect(await figure(ownerPage, 'p95')).toMatch(/ms$/);
    for (const chart of ['requests', 'latency', 'refusals']) {
      await ownerPage.waitForSelector(`[data-chart="${chart}"][data-drawn] canvas`);
    }
    expect(await ownerPage.textContent('.deployment-markers')).toContain(deployments[1]!);
    await screenshot(ownerPage, 'overview');

    await ownerPage.click('nav.sections >> text=Traffic');
    expect(new URL(ownerPage.url()).search).toBe('?environment=production&range=1h');
    const byRoute = await ownerPage.textContent('[data-breakdown="route"]');
    expect(byRoute).toContain('/echo/*');
    expect(byRoute).toContain('/limited');
    expect(await ownerPage.textContent('[data-breakdown="status"]')).toContain('401');
    expect(await ownerPage.locator('[data-live-requests] tbody tr').count()).toBeGreaterThanOrEqual(sent);
    // The live table picks up a request made after the page loaded.
    const later = await edge('/echo/later');
    await ownerPage.waitForSelector(
      `[data-live-requests] code:text("${later.headers.get('x-request-id')}")`,
      {
        timeout: ARRIVAL_TIMEOUT_MS,
      },
    );
    await screenshot(ownerPage, 'traffic');
  });

  it('rolls production back from the UI, and the data plane serves the previous deployment', async () => {
    const [first, second] = deployments as [string, string];
    await ownerPage.click('nav.sections >> text=Deployments');
    expect(await ownerPage.textContent('[data-environment="production"] [data-live-deployment]')).toBe(
      second,
    );
    await screenshot(ownerPage, 'deployments');
    await ownerPage.click(`[data-deployment="${first}"] >> text=Roll back to this`);
    expect(await ownerPage.textContent('h1')).toBe('Roll production back?');
    await Promise.all([
      ownerPage.waitForURL(/\/deployments\?environment=production$/),
      ownerPage.click(`button:text("Roll back production to ${first}")`),
    ]);
    expect(await ownerPage.textContent('[data-environment="production"] [data-live-deployment]')).toBe(first);
    expect(await ownerPage.textContent(`[data-deployment="${second}"] .status`)).toBe('rolled back');
    const served = await eventually(async () => {
      const response = await edge('/echo/after-rollback');
      return response.headers.get('edgeway-deployment') === first ? response : undefined;
    }, 15_000);
    expect(served.headers.get('x-greeting')).toBe('first');
  });

  it('creates a consumer and a key, shown once, which the data plane then accepts', async () => {
    await ownerPage.click('nav.sections >> text=Consumers');
    await ownerPage.fill('[data-form="create-consumer"] input[name="name"]', 'acme-mobile');
    await ownerPage.fill('[data-form="create-consumer"] input[name="tags"]', 'partner');
    await Promise.all([
      ownerPage.waitForURL(/\/consumers\/acme-mobile$/),
      ownerPage.click('text=Create consumer'),
    ]);
    await ownerPage.click('text=Create key');
    const key = (await ownerPage.textContent('[data-secret]'))!.trim();
    expect(await ownerPage.textContent('.warning')).toContain('it will not be shown again');
    await screenshot(ownerPage, 'key-created');

    await ownerPage.click('text=Back to acme-mobile');
    expect(await ownerPage.content()).not.toContain(key);
    expect(await ownerPage.locator('[data-keys] tbody tr').count()).toBe(1);
    await screenshot(ownerPage, 'consumer');
    const admitted = await eventually(async () => {
      const response = await edge('/partners/orders', { 'x-api-key': key });
      return response.status === 200 ? response : undefined;
    }, 15_000);
    expect(admitted.status).toBe(200);
  });

  it("shows the team and the audit log with each change's before and after", async () => {
    await ownerPage.click('nav.sections >> text=Team');
    expect(await ownerPage.textContent(`[data-member="${owner.email}"]`)).toContain('owner');
    await screenshot(ownerPage, 'team');
    await ownerPage.click('nav.sections >> text=Audit log');
    const log = await ownerPage.textContent('[data-audit]');
    expect(log).toContain('environment.rollback');
    expect(log).toContain('api_key.create');
    await screenshot(ownerPage, 'audit');
  });

  it('shows a viewer no rollback or key buttons, and answers a forged form with the 403 page', async () => {
    const viewer = { email: 'viewer@example.com', password: 'viewer-password-1' };
    const invited = await ownerPage.evaluate(
      async (body) => {
        const csrf = document.querySelector<HTMLInputElement>('input[name="csrf"]')!.value;
        const response = await fetch('/api/v1/members', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify(body),
        });
        return response.status;
      },
      { ...viewer, role: 'viewer' },
    );
    expect(invited).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await signIn(context, viewer.email, viewer.password);
    expect(await page.textContent('nav.sections')).not.toContain('Team');
    await page.goto(`${stack.controlUrl}/deployments?environment=production`);
    expect(await page.locator(`[data-deployment="${deployments[1]}"]`).count()).toBe(1);
    expect(await page.locator('text=Roll back to this').count()).toBe(0);
    await page.goto(`${stack.controlUrl}/consumers/acme-mobile`);
    expect(await page.locator('text=Create key').count()).toBe(0);
    expect(await page.locator('[data-keys] button').count()).toBe(0);

    const [refused] = await Promise.all([
      page.waitForNavigation(),
      page.evaluate((target) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = `/deployments/${target}/rollback`;
        const csrf = document.querySelector<HTMLInputElement>('input[name="csrf"]')!.cloneNode();
        form.append(csrf);
        document.body.append(form);
        form.submit();
      }, deployments[1]),
    ]);
    expect(refused?.status()).toBe(403);
    expect(await page.textContent('main')).toContain(
      'This needs the deployer role; your account has the viewer role.',
    );
    await screenshot(page, 'refused');
    await context.close();
  });
});
