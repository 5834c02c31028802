/**
 * /api/v1/environments: list environments with their URLs and what they serve (any role),
 * roll one back to an earlier deployment, and delete a preview (deployer).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { DeploymentIdSchema, EnvironmentNameSchema } from '../../../src/config/ids.ts';
import type { DeployContext } from '../deploy/context.ts';
import { deleteEnvironment } from '../deploy/delete-environment.ts';
import { rollback } from '../deploy/rollback.ts';
import { getDeployment } from '../store/deployments.ts';
import { getEnvironment, listEnvironments } from '../store/environments.ts';
import { authorize } from './auth.ts';
import type { AppEnv } from './context.ts';
import { deleteEnvironmentFailureProblem, rollbackFailureProblem } from './failure-problems.ts';
import { environmentNotFound, problem } from './problems.ts';
import { validate } from './validation.ts';
import { deploymentView, environmentView } from './views.ts';

const NameParam = z.object({ name: EnvironmentNameSchema });
const RollbackBody = z.strictObject({ deploymentId: DeploymentIdSchema });

export const environmentRoutes = new Hono<AppEnv>()
  .get('/', authorize('environment.read'), async (c) => {
    const { settings } = c.get('deploy');
    const records = await listEnvironments(c.env.DB);
    return c.json({ environments: records.map((record) => environmentView(record, settings)) });
  })
  .get('/:name', authorize('environment.read'), async (c) => {
    const environment = await describeEnvironment(c.get('deploy'), c.req.param('name'));
    return environment ? c.json(environment) : problem(c, environmentNotFound);
  })
  .delete('/:name', authorize('environment.delete'), validate('param', NameParam), async (c) => {
    const { name } = c.req.valid('param');
    const result = await deleteEnvironment(c.get('deploy'), name, c.get('principal').actor);
    if (!result.ok) return problem(c, deleteEnvironmentFailureProblem(result.error, name));
    return c.body(null, 204);
  })
  .post(
    '/:name/rollback',
    authorize('deployment.rollback'),
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
      return c.json(await describeEnvironment(c.get('deploy'), name));
    },
  );

/** The environment with its URL and its live deployment spelled out. */
async function describeEnvironment(ctx: DeployContext, name: string) {
  const environment = await getEnvironment(ctx.db, name);
  if (!environment) return null;
  const live = environment.liveDeploymentId
    ? await getDeployment(ctx.db, environment.liveDeploymentId)
    : null;
  return {
    ...environmentView(environment, ctx.settings),
    liveDeployment: live && deploymentView(live, ctx.settings),
  };
}
