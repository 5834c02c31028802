/**
 * /api/v1/repositories (admin only): register a repository whose provider webhook may
 * deploy, list registrations, delete one. The webhook secret is sealed under SECRETS_KEY
 * before it is stored and is never returned; the provider API token is named, not given:
 * `apiTokenSecretName` is the Worker secret that holds it. Registering and deleting are
 * audited with the registration after and before (never the secret).
 */
import { Hono } from 'hono';
import { importSecretsKey, seal } from '../../../src/config/secret-box.ts';
import { authenticateCaller, authorize } from '../api/auth.ts';
import type { AppEnv } from '../api/context.ts';
import { problem, secretsKeyUnavailable } from '../api/problems.ts';
import { validate } from '../api/validation.ts';
import { timeOrderedId } from '../ids.ts';
import {
  deleteRepository,
  insertRepository,
  listRepositories,
  type RepositoryRecord,
} from '../store/repositories.ts';
import { RegistrationSchema } from './registration.ts';
import { webhookSecretContext } from './verify-delivery.ts';
import { workerSecret } from './worker-secret.ts';

export const repositoryRoutes = new Hono<AppEnv>()
  .use(authenticateCaller)
  .post('/', authorize('repository.write'), validate('json', RegistrationSchema), async (c) => {
    const registration = c.req.valid('json');
    const key = await importSecretsKey(c.env.SECRETS_KEY);
    if (!key.ok) return problem(c, secretsKeyUnavailable(key.error, 'register again'));
    const actor = c.get('principal').actor;
    const id = `repo_${timeOrderedId()}`;
    const record: RepositoryRecord = {
      id,
      provider: registration.provider,
      repository: registration.repository,
      apiBaseUrl: registration.apiBaseUrl,
      apiTokenSecretName: registration.apiTokenSecretName,
      createdBy: actor,
      createdAt: new Date().toISOString(),
    };
    const sealed = await seal(key.value, registration.webhookSecret, webhookSecretContext(id));
    const { provider, repository } = record;
    const audit = {
      actor,
      action: 'repository.create',
      target: id,
      details: { before: null, after: auditedFields(record) },
    };
    if (
      (await insertRepository(c.env.DB, { ...record, webhookSecretSealed: sealed }, audit)) === 'duplicate'
    ) {
      return problem(c, {
        slug: 'repository-already-registered',
        status: 409,
        title: 'Repository already registered',
        detail: `${repository} is already registered for ${provider}; delete that registration first to change it.`,
      });
    }
    return c.json(view(c.env, c.req.url, record), 201, { location: `/api/v1/repositories/${id}` });
  })
  .get('/', authorize('repository.read'), async (c) => {
    const records = await listRepositories(c.env.DB);
    return c.json({ repositories: records.map((record) => view(c.env, c.req.url, record)) });
  })
  .delete('/:id', authorize('repository.write'), async (c) => {
    const id = c.req.param('id');
    const previous = (await listRepositories(c.env.DB)).find((record) => record.id === id);
    const audit = {
      actor: c.get('principal').actor,
      action: 'repository.delete',
      target: id,
      details: { before: previous ? auditedFields(previous) : null, after: null },
    };
    if ((await deleteRepository(c.env.DB, id, audit, new Date().toISOString())) === 'deleted') {
      return c.body(null, 204);
    }
    return problem(c, {
      slug: 'repository-not-found',
      status: 404,
      title: 'Repository registration not found',
      detail: 'No repository registration has that id.',
    });
  });

/** What the audit log keeps of a registration: never its secret. */
function auditedFields({ provider, repository, apiBaseUrl, apiTokenSecretName }: RepositoryRecord) {
  return { provider, repository, apiBaseUrl, apiTokenSecretName };
}

/** A registration as the API shows it: where to point the webhook, and whether its token secret is set. */
function view(env: Cloudflare.Env, requestUrl: string, record: RepositoryRecord) {
  return {
    ...record,
    apiTokenSecretSet: workerSecret(env, record.apiTokenSecretName) !== undefined,
    webhookUrl: new URL(`/api/v1/webhooks/${record.provider}`, requestUrl).href,
  };
}
