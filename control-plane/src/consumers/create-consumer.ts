/**
 * Creating a consumer: a new id, the caller as its creator, and the audit row in the same
 * D1 batch. A consumer has no KV record of its own (its keys carry it), so creating one
 * touches D1 only. Shared by the API and the dashboard.
 */

import { err, ok, type Result } from '../../../src/config/result.ts';
import { newConsumerId } from '../ids.ts';
import { type ConsumerFields, type ConsumerRecord, insertConsumer } from '../store/consumers.ts';

export interface NewConsumer extends ConsumerFields {
  readonly name: string;
}

/** `consumer-exists` when the name is taken. */
export async function createConsumer(
  db: D1Database,
  fields: NewConsumer,
  actor: string,
  now = new Date(),
): Promise<Result<ConsumerRecord, { readonly kind: 'consumer-exists' }>> {
  const at = now.toISOString();
  const consumer: ConsumerRecord = {
    id: newConsumerId(),
    ...fields,
    createdBy: actor,
    createdAt: at,
    updatedBy: actor,
    updatedAt: at,
  };
  const { name, tags, plan, metadata } = consumer;
  const audit = {
    actor,
    action: 'consumer.create',
    target: consumer.id,
    details: { name, after: { tags, plan, metadata } },
  };
  if ((await insertConsumer(db, consumer, audit)) === 'duplicate') return err({ kind: 'consumer-exists' });
  return ok(consumer);
}
