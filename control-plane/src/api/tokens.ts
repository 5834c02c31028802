/**
 * /api/v1/tokens (admin only): create an API token (its value is returned this once and
 * only its hash is kept), list tokens, revoke one.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { RoleSchema } from '../auth/roles.ts';
import { generateApiToken, sha256Hex } from '../auth/token-crypto.ts';
import { timeOrderedId } from '../ids.ts';
import { insertToken, listTokens, revokeToken } from '../store/tokens.ts';
import { requireRole } from './auth.ts';
import type { AppEnv } from './context.ts';
import { problem, tokenNotFound } from './problems.ts';
import { validate } from './validation.ts';

const CreateTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: RoleSchema,
});

export const tokenRoutes = new Hono<AppEnv>()
  .use(requireRole('admin'))
  .post('/', validate('json', CreateTokenBody), async (c) => {
    const { name, role } = c.req.valid('json');
    const actor = c.get('principal').actor;
    const token = generateApiToken();
    const record = {
      id: `tok_${timeOrderedId()}`,
      name,
      role,
      createdBy: actor,
      createdAt: new Date().toISOString(),
    };
    await insertToken(
      c.env.DB,
      { ...record, tokenHash: await sha256Hex(token) },
      {
        actor,
        action: 'token.create',
        target: record.id,
        details: { name, role },
      },
    );
    return c.json({ ...record, revokedAt: null, token }, 201);
  })
  .get('/', async (c) => c.json({ tokens: await listTokens(c.env.DB) }))
  .delete('/:id', async (c) => {
    const id = c.req.param('id');
    const at = new Date().toISOString();
    const outcome = await revokeToken(
      c.env.DB,
      id,
      { actor: c.get('principal').actor, action: 'token.revoke', target: id },
      at,
    );
    return outcome === 'not-found' ? problem(c, tokenNotFound) : c.body(null, 204);
  });
