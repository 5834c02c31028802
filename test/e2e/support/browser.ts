/**
 * Debian's Chromium driven by playwright-core, for the dashboard's browser tests. No
 * browser is downloaded: the tests use /usr/bin/chromium (.ci/run installs it). Where it
 * is missing, CI fails the tests and a developer's run skips them, saying why.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/**
 * Where screenshots go: test-results/screenshots (ignored by Git), so a test run leaves
 * the tree clean; EDGEWAY_SCREENSHOTS=docs/screenshots refreshes the README's pictures.
 */
const SCREENSHOTS = resolve(
  import.meta.dirname,
  '../../..',
  process.env.EDGEWAY_SCREENSHOTS ?? 'test-results/screenshots',
);

/** Whether the browser tests can run; in CI a missing Chromium is an error, not a skip. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM_PATH} is missing: .ci/run installs Debian's chromium`);
  console.warn(
    `\n  SKIPPED the dashboard browser tests: ${CHROMIUM_PATH} is missing (apt-get install chromium).\n`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** Saves the page as <screenshots>/<name>.png, as a laptop screen shows it. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Reloads the page until `ready` holds on it; rejects after `timeoutMs`. */
export async function reloadUntil(
  page: Page,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${page.url()} did not show it within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 500));
    await page.reload();
  }
}
