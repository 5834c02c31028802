/**
 * Withdrawing keys: revoking one, and deleting a consumer after revoking all of its keys.
 * D1 is changed first and KV after, so a failure never leaves a key working that the
 * control plane shows as revoked for longer than it takes to retry: both calls are
 * idempotent, and a retry deletes the KV records again.
 */
import { err, ok, type Result } from '../../../src/config/result.ts';
import {
  getApiKey,
  listApiKeys,
  revokeApiKey,
  revokeConsumerKeys,
  type StoredApiKey,
} from '../store/api-keys.ts';
import { deleteConsumer, findConsumerByName } from '../store/consumers.ts';
import type { ChangedFailure, ConsumerFailure, KeyRefusal, StorageFailure } from './failures.ts';
import { type KeyContext, unpublishKeys } from './key-records.ts';

/** Revokes the key (again, if it was already) and deletes its KV record. */
export async function revokeKey(
  ctx: KeyContext,
  keyId: string,
  actor: string,
  now = new Date(),
): Promise<Result<StoredApiKey, KeyRefusal | StorageFailure>> {
  const key = await getApiKey(ctx.db, keyId);
  if (!key) return err({ kind: 'key-not-found' });
  const at = now.toISOString();
  const audit = {
    actor,
    action: 'api_key.revoke',
    target: key.id,
    details: { consumerId: key.consumerId, before: { revokedAt: null }, after: { revokedAt: at } },
  };
  const outcome = await revokeApiKey(ctx.db, key.id, audit, at);
  if (!(await unpublishKeys(ctx, [key]))) return err({ kind: 'unpublish-failed' });
  return ok({ ...key, revokedAt: outcome === 'revoked' ? at : (key.revokedAt ?? at) });
}

/** Revokes the consumer's keys, deletes their KV records, then deletes the consumer and its keys' rows. */
export async function deleteConsumerAndKeys(
  ctx: KeyContext,
  name: string,
  actor: string,
  now = new Date(),
): Promise<Result<void, ConsumerFailure | ChangedFailure | StorageFailure>> {
  const consumer = await findConsumerByName(ctx.db, name);
  if (!consumer) return err({ kind: 'consumer-not-found' });
  const at = now.toISOString();
  const revocation = { actor, action: 'consumer.keys.revoke', target: consumer.id, details: { name } };
  await revokeConsumerKeys(ctx.db, consumer.id, revocation, at);
  // Listed after revoking, so any key created before the revocation is in the list; every
  // key, because an earlier revocation may have failed to delete its record.
  if (!(await unpublishKeys(ctx, await listApiKeys(ctx.db, consumer.id)))) {
    return err({ kind: 'unpublish-failed' });
  }
  const { id, tags, plan, metadata } = consumer;
  const deletion = {
    actor,
    action: 'consumer.delete',
    target: id,
    details: { name, before: { tags, plan, metadata } },
  };
  if ((await deleteConsumer(ctx.db, consumer, deletion, at)) === 'changed') return err({ kind: 'changed' });
  return ok(undefined);
}
