/**
 * /api/v1/tokens: create an API token (its value is returned this once and only its hash
 * is kept), list tokens (all, or one member's), revoke one. A token belongs to a member:
 * the one named (who may not outrank the caller), else the caller's (none for the
 * bootstrap token); its role is at most that member's and the caller's, and it stops
 * working when the member is disabled or removed (members/api-tokens.ts).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { RoleSchema } from '../auth/roles.ts';
import { issueApiToken, revokeApiToken } from '../members/api-tokens.ts';
import { findMember } from '../store/members.ts';
import { listTokens } from '../store/tokens.ts';
import { authorize } from './auth.ts';
import type { AppEnv } from './context.ts';
import { memberFailureProblem } from './member-problems.ts';
import { problem, tokenNotFound } from './problems.ts';
import { validate } from './validation.ts';

const CreateTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: RoleSchema,
  /** The member's id or email; the caller's own member when omitted. */
  member: z.string().min(1).max(254).optional(),
});
const ListQuery = z.object({ member: z.string().min(1).max(254).optional() });

export const tokenRoutes = new Hono<AppEnv>()
  .post('/', authorize('token.create'), validate('json', CreateTokenBody), async (c) => {
    const issued = await issueApiToken(c.env.DB, c.get('principal'), c.req.valid('json'));
    if (!issued.ok) return problem(c, memberFailureProblem(issued.error));
    return c.json({ ...issued.value.record, token: issued.value.token }, 201);
  })
  .get('/', authorize('token.read'), validate('query', ListQuery), async (c) => {
    const { member } = c.req.valid('query');
    if (member === undefined) return c.json({ tokens: await listTokens(c.env.DB) });
    const found = await findMember(c.env.DB, member);
    if (!found) return problem(c, memberFailureProblem({ kind: 'member-not-found' }));
    return c.json({ tokens: await listTokens(c.env.DB, found.id) });
  })
  .delete('/:id', authorize('token.revoke'), async (c) => {
    const outcome = await revokeApiToken(c.env.DB, c.get('principal').actor, c.req.param('id'));
    return outcome === 'not-found' ? problem(c, tokenNotFound) : c.body(null, 204);
  });
