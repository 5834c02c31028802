/**
 * /api/v1/environments/:name/vars and .../secrets/:NAME: per-environment values that
 * `${env.NAME}` references resolve to from the environment's next deployment. Any role
 * lists them; deployer sets and unsets. A secret is sealed under SECRETS_KEY before it is
 * stored, and its value is never returned, logged or audited. Every change is audited
 * with the value before and after (a secret's name and time only).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { EnvironmentNameSchema } from '../../../src/config/ids.ts';
import { importSecretsKey, seal } from '../../../src/config/secret-box.ts';
import { VarNameSchema } from '../../../src/config/source-fields.ts';
import { environmentSecretContext } from '../deploy/secrets.ts';
import {
  deleteEnvironmentValue,
  type EnvironmentValueRecord,
  listEnvironmentValues,
  putEnvironmentValue,
  type ValueKind,
} from '../store/environment-values.ts';
import { authorize } from './auth.ts';
import type { AppEnv } from './context.ts';
import { problem, secretsKeyUnavailable } from './problems.ts';
import { validate } from './validation.ts';

/** Long enough for a PEM key or a JSON credential. */
const MAX_VALUE_LENGTH = 16_384;

const KIND_OF_COLLECTION = { vars: 'var', secrets: 'secret' } as const satisfies Record<string, ValueKind>;

const ListParams = z.object({ name: EnvironmentNameSchema });
const ValueParams = z.object({
  name: EnvironmentNameSchema,
  collection: z.enum(['vars', 'secrets']),
  var: VarNameSchema,
});
const ValueBody = z.strictObject({ value: z.string().max(MAX_VALUE_LENGTH) });

export const environmentValueRoutes = new Hono<AppEnv>()
  .get('/:name/vars', authorize('environment.value.read'), validate('param', ListParams), async (c) => {
    const records = await listEnvironmentValues(c.env.DB, c.req.valid('param').name);
    return c.json({
      vars: records.filter((record) => record.kind === 'var').map(valueView),
      secrets: records.filter((record) => record.kind === 'secret').map(valueView),
    });
  })
  .put(
    '/:name/:collection{vars|secrets}/:var',
    authorize('environment.value.set'),
    validate('param', ValueParams),
    validate('json', ValueBody),
    async (c) => {
      const { name: environment, collection, var: name } = c.req.valid('param');
      const kind = KIND_OF_COLLECTION[collection];
      const { value } = c.req.valid('json');
      let stored = value;
      if (kind === 'secret') {
        const key = await importSecretsKey(c.env.SECRETS_KEY);
        if (!key.ok) return problem(c, secretsKeyUnavailable(key.error, 'set the secret again'));
        stored = await seal(key.value, value, environmentSecretContext(environment, name));
      }
      const actor = c.get('principal').actor;
      const record = { name, kind, value: kind === 'var' ? value : null, updatedBy: actor, updatedAt: now() };
      const before = await currentValue(c.env.DB, environment, name, kind);
      const details = { name, before: before && valueView(before), after: valueView(record) };
      const outcome = await putEnvironmentValue(
        c.env.DB,
        { ...record, environment, value: stored },
        { actor, action: `environment.${kind}.set`, target: environment, details },
      );
      if (outcome === 'kind-conflict') {
        const other = kind === 'var' ? 'secret' : 'var';
        return problem(c, {
          slug: 'value-kind-conflict',
          status: 409,
          title: `Name taken by a ${other}`,
          detail: `${name} is a ${other} of ${environment}; unset that ${other} first to make it a ${kind}.`,
        });
      }
      return c.json(valueView(record));
    },
  )
  .delete(
    '/:name/:collection{vars|secrets}/:var',
    authorize('environment.value.unset'),
    validate('param', ValueParams),
    async (c) => {
      const { name: environment, collection, var: name } = c.req.valid('param');
      const kind = KIND_OF_COLLECTION[collection];
      const before = await currentValue(c.env.DB, environment, name, kind);
      const audit = {
        actor: c.get('principal').actor,
        action: `environment.${kind}.unset`,
        target: environment,
        details: { name, before: before && valueView(before), after: null },
      };
      const outcome = await deleteEnvironmentValue(c.env.DB, { environment, name, kind }, audit, now());
      if (outcome === 'deleted') return c.body(null, 204);
      return problem(c, {
        slug: `${kind}-not-found`,
        status: 404,
        title: kind === 'var' ? 'Variable not found' : 'Secret not found',
        detail: `${environment} has no ${kind} named ${name}.`,
      });
    },
  );

/** The value as it is now, for the audit's `before`: a secret's is never selected. */
async function currentValue(db: D1Database, environment: string, name: string, kind: ValueKind) {
  const records = await listEnvironmentValues(db, environment);
  return records.find((record) => record.name === name && record.kind === kind) ?? null;
}

/** A var with its value; a secret with its name and when it changed, never its value. */
function valueView(record: Pick<EnvironmentValueRecord, 'name' | 'kind' | 'value' | 'updatedAt'>) {
  const { name, value, updatedAt } = record;
  return record.kind === 'var' ? { name, value, updatedAt } : { name, updatedAt };
}

function now(): string {
  return new Date().toISOString();
}
