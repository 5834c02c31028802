/**
 * Changing a consumer's tags, plan or metadata: saved in D1, then written into the KV
 * record of each of its keys that still works, since the data plane reads the consumer
 * from there. A failed KV write leaves D1 changed; the same call again finishes the job.
 */
import { err, ok, type Result } from '../../../src/config/result.ts';
import { listApiKeys } from '../store/api-keys.ts';
import {
  type ConsumerFields,
  type ConsumerRecord,
  findConsumerByName,
  updateConsumer,
} from '../store/consumers.ts';
import type { ChangedFailure, ConsumerFailure, StorageFailure } from './failures.ts';
import { type KeyContext, publishKeys } from './key-records.ts';
import { keyWorks } from './key-state.ts';

/** Fields left out of `change` keep their value; a `plan` of null removes the plan. */
export async function updateConsumerAndKeys(
  ctx: KeyContext,
  name: string,
  change: Partial<ConsumerFields>,
  actor: string,
  now = new Date(),
): Promise<Result<ConsumerRecord, ConsumerFailure | ChangedFailure | StorageFailure>> {
  const previous = await findConsumerByName(ctx.db, name);
  if (!previous) return err({ kind: 'consumer-not-found' });
  const fields: ConsumerFields = {
    tags: change.tags ?? previous.tags,
    plan: change.plan === undefined ? previous.plan : change.plan,
    metadata: change.metadata ?? previous.metadata,
  };
  const updated = { ...previous, ...fields, updatedBy: actor, updatedAt: now.toISOString() };
  const { tags, plan, metadata } = previous;
  const audit = {
    actor,
    action: 'consumer.update',
    target: previous.id,
    details: { name, before: { tags, plan, metadata }, after: fields },
  };
  if ((await updateConsumer(ctx.db, previous, updated, audit)) === 'changed') return err({ kind: 'changed' });
  const working = (await listApiKeys(ctx.db, previous.id)).filter((key) => keyWorks(key, now));
  if (!(await publishKeys(ctx, updated, working))) return err({ kind: 'republish-failed' });
  return ok(updated);
}
