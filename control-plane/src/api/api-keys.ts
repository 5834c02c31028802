/**
 * /api/v1/keys/:id (admin): roll a key (its replacement is answered with its plaintext
 * this once, and the key keeps working for a grace period) or revoke it (its KV record is
 * deleted at once; revoking again deletes it again). Consumers' keys are listed and
 * created under /api/v1/consumers/:name/keys.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ApiKeyIdSchema } from '../../../src/config/api-keys.ts';
import { DEFAULT_GRACE_PERIOD_SECONDS, GracePeriodSchema } from '../consumers/fields.ts';
import { rollKey } from '../consumers/issue-keys.ts';
import { revokeKey } from '../consumers/withdraw-keys.ts';
import { authorize } from './auth.ts';
import { consumersFailureProblem } from './consumer-problems.ts';
import { keyView, rolledKeyView } from './consumer-views.ts';
import type { AppEnv } from './context.ts';
import { problem } from './problems.ts';
import { validate } from './validation.ts';

const IdParam = z.object({ id: ApiKeyIdSchema });
const RollBody = z.strictObject({
  gracePeriodSeconds: GracePeriodSchema.default(DEFAULT_GRACE_PERIOD_SECONDS),
});

export const apiKeyRoutes = new Hono<AppEnv>()
  .use(authorize('key.write'))
  .post('/:id/roll', validate('param', IdParam), validate('json', RollBody), async (c) => {
    const now = new Date();
    const { gracePeriodSeconds } = c.req.valid('json');
    const result = await rollKey(
      c.get('deploy'),
      c.req.valid('param').id,
      gracePeriodSeconds,
      c.get('principal').actor,
      now,
    );
    return result.ok
      ? c.json(rolledKeyView(result.value, now), 201)
      : problem(c, consumersFailureProblem(result.error));
  })
  .post('/:id/revoke', validate('param', IdParam), async (c) => {
    const now = new Date();
    const result = await revokeKey(c.get('deploy'), c.req.valid('param').id, c.get('principal').actor, now);
    return result.ok ? c.json(keyView(result.value, now)) : problem(c, consumersFailureProblem(result.error));
  });
