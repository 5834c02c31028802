/**
 * The API-key records the control plane publishes to KV for the data plane
 * (`apikey/<sha256 hex>`, src/config/api-keys.ts): one per key that is not revoked, with
 * its consumer embedded. D1 says which keys are revoked; KV must never let a key work that
 * D1 says is revoked, so revocations change D1 first and delete from KV after, and every
 * write here checks D1 again once it has landed and deletes what was revoked meanwhile.
 * KV failures are caught, logged and returned as `false`.
 */
import { type ApiKeyRecord, ApiKeyRecordSchema } from '../../../src/config/api-keys.ts';
import { kvKeys } from '../../../src/config/kv-keys.ts';
import type { DeployContext } from '../deploy/context.ts';
import { type StoredApiKey, unrevokedKeyIds } from '../store/api-keys.ts';
import type { ConsumerRecord } from '../store/consumers.ts';

/** What key operations run against: D1, the CONFIG namespace and the request's logger. */
export type KeyContext = Pick<DeployContext, 'db' | 'kv' | 'log'>;

export type PublishedKey = Pick<StoredApiKey, 'id' | 'keySet' | 'hash' | 'expiresAt'>;

export function keyRecord(key: PublishedKey, consumer: ConsumerRecord): ApiKeyRecord {
  const { id, name, tags, plan, metadata } = consumer;
  return ApiKeyRecordSchema.parse({
    keyId: key.id,
    keySet: key.keySet,
    consumer: { id, name, tags, ...(plan === null ? {} : { plan }), metadata },
    expiresAt: key.expiresAt,
  });
}

/**
 * Writes the records of `keys`, all owned by `consumer`; then deletes the record of each
 * one that D1 no longer has unrevoked, which a revocation racing this write may otherwise
 * leave behind.
 */
export async function publishKeys(
  ctx: KeyContext,
  consumer: ConsumerRecord,
  keys: readonly PublishedKey[],
): Promise<boolean> {
  if (keys.length === 0) return true;
  try {
    await Promise.all(
      keys.map((key) => ctx.kv.put(kvKeys.apiKey(key.hash), JSON.stringify(keyRecord(key, consumer)))),
    );
  } catch (error) {
    ctx.log(`publishing the KV records of ${consumer.id}'s keys`, error);
    return false;
  }
  const unrevoked = await unrevokedKeyIds(
    ctx.db,
    keys.map((key) => key.id),
  );
  return unpublishKeys(
    ctx,
    keys.filter((key) => !unrevoked.has(key.id)),
  );
}

/** Deletes the records of `keys`; deleting one that is not there is not a failure. */
export async function unpublishKeys(ctx: KeyContext, keys: readonly Pick<PublishedKey, 'id' | 'hash'>[]) {
  try {
    await Promise.all(keys.map((key) => ctx.kv.delete(kvKeys.apiKey(key.hash))));
    return true;
  } catch (error) {
    ctx.log(`deleting the KV records of keys ${keys.map((key) => key.id).join(', ')}`, error);
    return false;
  }
}
