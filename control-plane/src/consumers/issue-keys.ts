/**
 * Issuing keys: creating one for a consumer, and rolling one (a replacement is issued and
 * the old key keeps working for a grace period). The plaintext is made here, returned
 * once, and never stored: D1 and KV get its SHA-256 and a hint. A key is recorded in D1
 * first and published to KV after; when KV fails it is withdrawn again before anyone has
 * seen it, so the caller only ever holds keys that work.
 */
import { apiKeyHint, generateApiKey, hashApiKey, type KeySet } from '../../../src/config/api-keys.ts';
import { err, ok, type Result } from '../../../src/config/result.ts';
import { newApiKeyId } from '../ids.ts';
import {
  getApiKey,
  insertApiKey,
  type NewApiKey,
  type Roll,
  revokeApiKey,
  rollApiKey,
  type StoredApiKey,
  undoRoll,
} from '../store/api-keys.ts';
import { type ConsumerRecord, findConsumerById, findConsumerByName } from '../store/consumers.ts';
import type { ChangedFailure, ConsumerFailure, KeyRefusal, StorageFailure } from './failures.ts';
import { type KeyContext, publishKeys, unpublishKeys } from './key-records.ts';
import { keyState } from './key-state.ts';

export interface IssuedKey {
  readonly consumer: ConsumerRecord;
  readonly key: StoredApiKey;
  /** The key itself: shown to the caller this once. */
  readonly plaintext: string;
}

export interface RolledKey extends IssuedKey {
  /** The key rolled, with its new expiry. */
  readonly previous: StoredApiKey;
}

export interface KeyRequest {
  readonly keySet: KeySet;
  readonly expiresAt: string | null;
}

export async function createKey(
  ctx: KeyContext,
  consumerName: string,
  request: KeyRequest,
  actor: string,
  now = new Date(),
): Promise<Result<IssuedKey, ConsumerFailure | StorageFailure>> {
  const consumer = await findConsumerByName(ctx.db, consumerName);
  if (!consumer) return err({ kind: 'consumer-not-found' });
  const { key, plaintext } = await newKey(consumer.id, request, actor, now);
  const audit = {
    actor,
    action: 'api_key.create',
    target: key.id,
    details: { consumer: consumer.name, after: { keySet: key.keySet, expiresAt: key.expiresAt } },
  };
  if ((await insertApiKey(ctx.db, key, audit)) === 'consumer-not-found') {
    return err({ kind: 'consumer-not-found' });
  }
  if (!(await publishKeys(ctx, consumer, [key]))) {
    const withdrawal = {
      actor,
      action: 'api_key.revoke',
      target: key.id,
      details: { reason: 'publish-failed' },
    };
    await revokeApiKey(ctx.db, key.id, withdrawal, now.toISOString());
    await unpublishKeys(ctx, [key]);
    return err({ kind: 'publish-failed' });
  }
  return ok({ consumer, key: { ...key, revokedAt: null, rolledInto: null }, plaintext });
}

/**
 * Issues a replacement for the key (same consumer, key set and expiry) and makes the key
 * expire after `gracePeriodSeconds`, or at its own expiry if that is sooner.
 */
export async function rollKey(
  ctx: KeyContext,
  keyId: string,
  gracePeriodSeconds: number,
  actor: string,
  now = new Date(),
): Promise<Result<RolledKey, ChangedFailure | KeyRefusal | StorageFailure>> {
  const previous = await getApiKey(ctx.db, keyId);
  const consumer = previous && (await findConsumerById(ctx.db, previous.consumerId));
  if (!previous || !consumer) return err({ kind: 'key-not-found' });
  const refusal = rollRefusal(previous, now);
  if (refusal) return err(refusal);
  const graceEnd = new Date(now.getTime() + gracePeriodSeconds * 1000).toISOString();
  const { expiresAt } = previous;
  const previousExpiresAt = expiresAt !== null && expiresAt < graceEnd ? expiresAt : graceEnd;
  const { key: replacement, plaintext } = await newKey(consumer.id, previous, actor, now);
  const roll: Roll = { previous, previousExpiresAt, replacement };
  const audit = {
    actor,
    action: 'api_key.roll',
    target: keyId,
    details: {
      consumer: consumer.name,
      before: { expiresAt, rolledInto: null },
      after: { expiresAt: previousExpiresAt, rolledInto: replacement.id },
    },
  };
  if (!(await rollApiKey(ctx.db, roll, audit))) {
    const current = await getApiKey(ctx.db, keyId);
    return err(current ? (rollRefusal(current, now) ?? { kind: 'changed' }) : { kind: 'key-not-found' });
  }
  const rolled = { ...previous, expiresAt: previousExpiresAt, rolledInto: replacement.id };
  if (!(await publishKeys(ctx, consumer, [replacement, rolled]))) {
    const undo = { actor, action: 'api_key.roll.undo', target: keyId, details: { reason: 'publish-failed' } };
    await undoRoll(ctx.db, roll, undo, now.toISOString());
    // Best effort: the old key's record as it was, and no record for a key never shown.
    await Promise.all([publishKeys(ctx, consumer, [previous]), unpublishKeys(ctx, [replacement])]);
    return err({ kind: 'publish-failed' });
  }
  return ok({
    consumer,
    key: { ...replacement, revokedAt: null, rolledInto: null },
    plaintext,
    previous: rolled,
  });
}

/** Why `key` cannot be rolled now, if it cannot. */
function rollRefusal(key: StoredApiKey, now: Date): KeyRefusal | undefined {
  if (key.revokedAt !== null) return { kind: 'key-revoked' };
  if (key.rolledInto !== null) return { kind: 'key-rolled', rolledInto: key.rolledInto };
  if (keyState(key, now) === 'expired') return { kind: 'key-expired' };
  return undefined;
}

async function newKey(
  consumerId: string,
  request: KeyRequest,
  actor: string,
  now: Date,
): Promise<{ key: NewApiKey; plaintext: string }> {
  const plaintext = generateApiKey(request.keySet);
  const key: NewApiKey = {
    id: newApiKeyId(),
    consumerId,
    keySet: request.keySet,
    hash: await hashApiKey(plaintext),
    hint: apiKeyHint(plaintext),
    createdBy: actor,
    createdAt: now.toISOString(),
    expiresAt: request.expiresAt,
  };
  return { key, plaintext };
}
