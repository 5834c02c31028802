/**
 * The dashboard's static files, served by the control plane worker itself: uPlot
 * (node_modules/uplot, MIT, about 50 KB minified) for the charts, and the dashboard's own
 * stylesheet and scripts. They are bundled as strings (the Text rule in
 * control-plane/wrangler.toml) and served under paths holding a hash of their content,
 * so a browser may keep each one for a year (`immutable`) and a changed file gets a new
 * path. Pages link them through `assetPath`.
 */
import { Hono } from 'hono';
import uplotScript from 'uplot/dist/uPlot.iife.min.js';
import uplotStyles from 'uplot/dist/uPlot.min.css';
import type { AppEnv } from '../api/context.ts';
import chartsScript from './assets/charts.browser.js';
import controlsScript from './assets/controls.browser.js';
import dashboardStyles from './assets/dashboard.css';
import liveRequestsScript from './assets/live-requests.browser.js';

export const ASSETS_PATH = '/assets';

const SCRIPT = 'text/javascript; charset=utf-8';
const STYLESHEET = 'text/css; charset=utf-8';

const FILES = {
  'uPlot.js': { body: uplotScript, type: SCRIPT },
  'uPlot.css': { body: uplotStyles, type: STYLESHEET },
  'dashboard.css': { body: dashboardStyles, type: STYLESHEET },
  'charts.js': { body: chartsScript, type: SCRIPT },
  'controls.js': { body: controlsScript, type: SCRIPT },
  'live-requests.js': { body: liveRequestsScript, type: SCRIPT },
} as const;

export type AssetName = keyof typeof FILES;

/** `name.<hash>.ext`, computed once per isolate. */
const HASHED_NAMES = new Map<string, AssetName>(
  Object.entries(FILES).map(([name, file]) => {
    const dot = name.lastIndexOf('.');
    return [`${name.slice(0, dot)}.${fnv1a(file.body)}${name.slice(dot)}`, name as AssetName];
  }),
);
const PATHS = new Map<AssetName, string>(
  [...HASHED_NAMES].map(([hashed, name]) => [name, `${ASSETS_PATH}/${hashed}`]),
);

export function assetPath(name: AssetName): string {
  return PATHS.get(name)!;
}

/** GET /assets/<name>.<hash>.<ext>; any other name is 404. */
export const assetRoutes = new Hono<AppEnv>().get('/:file', (c) => {
  const name = HASHED_NAMES.get(c.req.param('file'));
  if (!name) return c.notFound();
  const file = FILES[name];
  return c.body(file.body, 200, {
    'content-type': file.type,
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
  });
});

/** FNV-1a, 32 bits, as 8 hex digits: a cache-busting fingerprint, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
