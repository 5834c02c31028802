/**
 * Entry point of the control plane worker (control-plane/wrangler.toml): the HTTP app,
 * the `edgeway-analytics` Queue consumer, and the hourly cron trigger that applies the
 * analytics retention.
 */
import { consumeAnalytics } from './analytics/consume.ts';
import { applyRetention } from './analytics/retention.ts';
import { createApp } from './app.ts';

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env) => consumeAnalytics(batch, env.DB, Date.now()),
  scheduled: async (controller, env) => applyRetention(env.DB, controller.scheduledTime),
} satisfies ExportedHandler<Cloudflare.Env>;
