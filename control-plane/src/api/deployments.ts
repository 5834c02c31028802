/**
 * /api/v1/deployments: create a deployment from a bundle of config files (deployer), list
 * and get deployments (any role). A bundle without an environment deploys to its branch's:
 * production for the production branch, a preview for any other.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { DeploymentIdSchema, EnvironmentNameSchema } from '../../../src/config/ids.ts';
import { createDeployment } from '../deploy/deploy.ts';
import { branchEnvironment } from '../deploy/environment-settings.ts';
import { getDeployment, listDeployments } from '../store/deployments.ts';
import { authorize } from './auth.ts';
import type { AppEnv } from './context.ts';
import { deployFailureProblem } from './failure-problems.ts';
import { deploymentNotFound, problem } from './problems.ts';
import { validate } from './validation.ts';
import { deploymentView } from './views.ts';

/** Bundle limits: the compiled blob must fit one KV value (25 MiB) with room to spare. */
export const MAX_BUNDLE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 500;
const MAX_PATH_CHARS = 256;

/** A relative path inside the config repo: `/`-separated, no empty, `.` or `..` segments. */
const FilePathSchema = z
  .string()
  .max(MAX_PATH_CHARS)
  .refine(
    (path) =>
      !/[\\\0]/.test(path) && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'a file path is relative and "/"-separated, without empty, "." or ".." segments',
  );

const CreateDeploymentBody = z.strictObject({
  environment: EnvironmentNameSchema.optional(),
  files: z
    .record(FilePathSchema, z.string())
    .refine((files) => Object.keys(files).length > 0, 'a bundle has at least one file')
    .refine((files) => Object.keys(files).length <= MAX_FILES, `a bundle has at most ${MAX_FILES} files`),
  commit: z.string().min(1).max(100),
  branch: z.string().min(1).max(255),
  author: z.string().min(1).max(255),
  message: z.string().max(10_000),
  /** Provider webhooks deploy as `github`, `gitlab` or `gitea` by calling createDeployment directly. */
  trigger: z.enum(['api', 'cli', 'git-push']).default('api'),
});

const ListQuery = z.object({
  environment: EnvironmentNameSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: DeploymentIdSchema.optional(),
});

export const deploymentRoutes = new Hono<AppEnv>()
  .post(
    '/',
    authorize('deployment.create'),
    bodyLimit({
      maxSize: MAX_BUNDLE_BYTES,
      onError: (c) =>
        problem(c, {
          slug: 'payload-too-large',
          status: 413,
          title: 'Bundle too large',
          detail: `A deployment bundle is at most ${MAX_BUNDLE_BYTES} bytes of JSON.`,
        }),
    }),
    validate('json', CreateDeploymentBody),
    async (c) => {
      const ctx = c.get('deploy');
      const body = c.req.valid('json');
      const environment = body.environment ?? branchEnvironment(ctx.settings, body.branch);
      const result = await createDeployment(ctx, { ...body, environment }, c.get('principal').actor);
      if (!result.ok) return problem(c, deployFailureProblem(result.error));
      const record = await getDeployment(c.env.DB, result.value);
      return c.json(deploymentView(record!, ctx.settings), 201, {
        location: `/api/v1/deployments/${result.value}`,
      });
    },
  )
  .get('/', authorize('deployment.read'), validate('query', ListQuery), async (c) => {
    const { environment, limit, cursor } = c.req.valid('query');
    const records = await listDeployments(c.env.DB, { environment, before: cursor, limit });
    const nextCursor = records.length === limit ? records.at(-1)!.id : null;
    const { settings } = c.get('deploy');
    return c.json({ deployments: records.map((record) => deploymentView(record, settings)), nextCursor });
  })
  .get('/:id', authorize('deployment.read'), async (c) => {
    const record = await getDeployment(c.env.DB, c.req.param('id'));
    return record ? c.json(deploymentView(record, c.get('deploy').settings)) : problem(c, deploymentNotFound);
  });
