/**
 * GET /api/v1/audit (admin): the audit log, newest first, a page at a time (`before` is
 * the previous page's `nextCursor`), optionally for one target: who did what to what,
 * when, with the before and after of the change.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { listAudit } from '../store/audit.ts';
import { authorize } from './auth.ts';
import type { AppEnv } from './context.ts';
import { validate } from './validation.ts';

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
  target: z.string().min(1).max(254).optional(),
});

export const auditRoutes = new Hono<AppEnv>().get(
  '/',
  authorize('audit.read'),
  validate('query', ListQuery),
  async (c) => {
    const query = c.req.valid('query');
    const entries = await listAudit(c.env.DB, query);
    const nextCursor = entries.length === query.limit ? entries.at(-1)!.id : null;
    return c.json({ entries, nextCursor });
  },
);
