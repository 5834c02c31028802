/**
 * /api/v1/analytics (viewer): what the gateway served, read from the rollups the Queue
 * consumer keeps (docs/storage.md), with the filters the dashboard uses.
 *
 * - GET /overview?environment=&range=&route=&consumer=: totals (requests, errors and the
 *   error rate, p50/p95/p99 latency, rate-limited and auth-rejected counts), a time
 *   series with a step per range, and the deployments made in the range.
 * - GET /breakdown?environment=&range=&by=route|consumer|status&limit=&route=&consumer=:
 *   the same figures per route, consumer or status code, busiest first.
 * - GET /requests?environment=&limit=: the environment's newest events.
 *
 * `environment` defaults to production and `range` (1h, 24h, 7d, 30d) to 24h; an empty
 * parameter counts as absent. Bad input is a 400 problem naming the parameter.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { EnvironmentNameSchema } from '../../../src/config/ids.ts';
import { RANGES } from '../analytics/ranges.ts';
import { breakdownReport, overviewReport, recentRequestsReport } from '../analytics/reports.ts';
import { RECENT_REQUESTS_KEPT } from '../store/analytics-ingest.ts';
import { authorize } from './auth.ts';
import type { AppEnv } from './context.ts';
import { validate } from './validation.ts';

const DEFAULT_BREAKDOWN_ROWS = 20;
const DEFAULT_RECENT_REQUESTS = 50;

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const Filters = z.object({
  environment: optional(EnvironmentNameSchema),
  range: optional(z.enum(RANGES)),
  route: optional(z.string().max(1024)),
  consumer: optional(z.string().max(256)),
});

const BreakdownQuery = Filters.extend({
  by: z.enum(['route', 'consumer', 'status']),
  limit: optional(z.coerce.number().int().min(1).max(100)),
});

const RequestsQuery = z.object({
  environment: optional(EnvironmentNameSchema),
  limit: optional(z.coerce.number().int().min(1).max(RECENT_REQUESTS_KEPT)),
});

export const analyticsRoutes = new Hono<AppEnv>()
  .use(authorize('analytics.read'))
  .get('/overview', validate('query', Filters), async (c) =>
    c.json(await overviewReport(c.env.DB, c.req.valid('query'), Date.now())),
  )
  .get('/breakdown', validate('query', BreakdownQuery), async (c) => {
    const query = c.req.valid('query');
    const limit = query.limit ?? DEFAULT_BREAKDOWN_ROWS;
    return c.json(await breakdownReport(c.env.DB, { ...query, limit }, Date.now()));
  })
  .get('/requests', validate('query', RequestsQuery), async (c) => {
    const { environment, limit } = c.req.valid('query');
    return c.json(await recentRequestsReport(c.env.DB, environment, limit ?? DEFAULT_RECENT_REQUESTS));
  });
