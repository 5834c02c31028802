/**
 * GET /api/v1/settings (any role): which branch deploys to production and where
 * environments are served, so a client that knows only a branch (a Git hook deleting a
 * branch's preview) can name its environment and its URL as the control plane does.
 */
import { Hono } from 'hono';
import { authorize } from './auth.ts';
import type { AppEnv } from './context.ts';

export const settingsRoutes = new Hono<AppEnv>().get('/', authorize('settings.read'), (c) => {
  const { productionBranch, productionUrl, previewUrlTemplate } = c.get('deploy').settings;
  return c.json({ productionBranch, productionUrl, previewUrlTemplate });
});
