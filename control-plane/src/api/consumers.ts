/**
 * /api/v1/consumers: the consumers that call the gateway's APIs and their API keys. Any
 * role reads; admin creates, changes and deletes consumers and issues keys. A new key is
 * answered with its plaintext this once; the data plane learns of it from its KV record.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { KeySetSchema } from '../../../src/config/api-keys.ts';
import { createConsumer } from '../consumers/create-consumer.ts';
import {
  ConsumerNameSchema,
  FutureTimeSchema,
  MetadataSchema,
  PlanSchema,
  TagSchema,
  TagsSchema,
} from '../consumers/fields.ts';
import { createKey } from '../consumers/issue-keys.ts';
import { updateConsumerAndKeys } from '../consumers/update-consumer.ts';
import { deleteConsumerAndKeys } from '../consumers/withdraw-keys.ts';
import { listApiKeys } from '../store/api-keys.ts';
import { findConsumerByName, listConsumers } from '../store/consumers.ts';
import { authorize } from './auth.ts';
import { consumerExists, consumersFailureProblem } from './consumer-problems.ts';
import { consumerView, issuedKeyView, keyView } from './consumer-views.ts';
import type { AppEnv } from './context.ts';
import { problem } from './problems.ts';
import { validate } from './validation.ts';

const NameParam = z.object({ name: ConsumerNameSchema });

const CreateConsumerBody = z.strictObject({
  name: ConsumerNameSchema,
  tags: TagsSchema.default([]),
  plan: PlanSchema.nullable().default(null),
  metadata: MetadataSchema.default({}),
});

const UpdateConsumerBody = z
  .strictObject({
    tags: TagsSchema.optional(),
    plan: PlanSchema.nullable().optional(),
    metadata: MetadataSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one of tags, plan and metadata');

const ListQuery = z.object({
  tag: TagSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** The previous page's nextCursor: the last name it listed. */
  cursor: ConsumerNameSchema.optional(),
});

const CreateKeyBody = z.strictObject({
  keySet: KeySetSchema.default('live'),
  expiresAt: FutureTimeSchema.nullable().default(null),
});

const notFound = consumersFailureProblem({ kind: 'consumer-not-found' });

export const consumerRoutes = new Hono<AppEnv>()
  .post('/', authorize('consumer.write'), validate('json', CreateConsumerBody), async (c) => {
    const body = c.req.valid('json');
    const created = await createConsumer(c.env.DB, body, c.get('principal').actor);
    if (!created.ok) return problem(c, consumerExists(body.name));
    return c.json(consumerView(created.value), 201, { location: `/api/v1/consumers/${body.name}` });
  })
  .get('/', authorize('consumer.read'), validate('query', ListQuery), async (c) => {
    const { tag, limit, cursor } = c.req.valid('query');
    const consumers = await listConsumers(c.env.DB, { tag, limit, after: cursor });
    const nextCursor = consumers.length === limit ? consumers.at(-1)!.name : null;
    return c.json({ consumers: consumers.map(consumerView), nextCursor });
  })
  .get('/:name', authorize('consumer.read'), validate('param', NameParam), async (c) => {
    const found = await consumerWithKeys(c.env.DB, c.req.valid('param').name);
    return found ? c.json({ ...found.consumer, keys: found.keys }) : problem(c, notFound);
  })
  .patch(
    '/:name',
    authorize('consumer.write'),
    validate('param', NameParam),
    validate('json', UpdateConsumerBody),
    async (c) => {
      const { name } = c.req.valid('param');
      const actor = c.get('principal').actor;
      const result = await updateConsumerAndKeys(c.get('deploy'), name, c.req.valid('json'), actor);
      return result.ok
        ? c.json(consumerView(result.value))
        : problem(c, consumersFailureProblem(result.error));
    },
  )
  .delete('/:name', authorize('consumer.write'), validate('param', NameParam), async (c) => {
    const { name } = c.req.valid('param');
    const result = await deleteConsumerAndKeys(c.get('deploy'), name, c.get('principal').actor);
    return result.ok ? c.body(null, 204) : problem(c, consumersFailureProblem(result.error));
  })
  .post(
    '/:name/keys',
    authorize('key.write'),
    validate('param', NameParam),
    validate('json', CreateKeyBody),
    async (c) => {
      const { name } = c.req.valid('param');
      const now = new Date();
      const result = await createKey(
        c.get('deploy'),
        name,
        c.req.valid('json'),
        c.get('principal').actor,
        now,
      );
      if (!result.ok) return problem(c, consumersFailureProblem(result.error));
      return c.json(issuedKeyView(result.value, now), 201);
    },
  )
  .get('/:name/keys', authorize('consumer.read'), validate('param', NameParam), async (c) => {
    const found = await consumerWithKeys(c.env.DB, c.req.valid('param').name);
    return found ? c.json({ keys: found.keys }) : problem(c, notFound);
  });

async function consumerWithKeys(db: D1Database, name: string) {
  const consumer = await findConsumerByName(db, name);
  if (!consumer) return null;
  const now = new Date();
  const keys = await listApiKeys(db, consumer.id);
  return { consumer: consumerView(consumer), keys: keys.map((key) => keyView(key, now)) };
}
