/**
 * /api/v1/environments: list environments and what they serve (any role), and roll one
 * back to an earlier deployment (deployer).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { DeploymentIdSchema, EnvironmentNameSchema } from '../../../src/config/ids.ts';
import { rollback } from '../deploy/rollback.ts';
import { getDeployment } from '../store/deployments.ts';
import { getEnvironment, listEnvironments } from '../store/environments.ts';
import { requireRole } from './auth.ts';
import type { AppEnv } from './context.ts';
import { rollbackFailureProblem } from './failure-problems.ts';
import { environmentNotFound, problem } from './problems.ts';
import { validate } from './validation.ts';
import { deploymentView } from './views.ts';

const NameParam = z.object({ name: EnvironmentNameSchema });
const RollbackBody = z.strictObject({ deploymentId: DeploymentIdSchema });

export const environmentRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ environments: await listEnvironments(c.env.DB) }))
  .get('/:name', async (c) => {
    const environment = await describeEnvironment(c.env.DB, c.req.param('name'));
    return environment ? c.json(environment) : problem(c, environmentNotFound);
  })
  .post(
    '/:name/rollback',
    requireRole('deployer'),
    validate('param', NameParam),
    validate('json', RollbackBody),
    async (c) => {
      const { name } = c.req.valid('param');
      const { deploymentId } = c.req.valid('json');
      const result = await rollback(
        c.get('deploy'),
        { environment: name, deploymentId },
        c.get('principal').actor,
      );
      if (!result.ok) return problem(c, rollbackFailureProblem(result.error, name));
      return c.json(await describeEnvironment(c.env.DB, name));
    },
  );

/** The environment with its live deployment spelled out. */
async function describeEnvironment(db: D1Database, name: string) {
  const environment = await getEnvironment(db, name);
  if (!environment) return null;
  const live = environment.liveDeploymentId ? await getDeployment(db, environment.liveDeploymentId) : null;
  return { ...environment, liveDeployment: live && deploymentView(live) };
}
