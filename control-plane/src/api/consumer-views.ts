/**
 * The JSON the API returns for consumers and their keys. A key is shown by its id, hint
 * and lifetime, never its hash; its plaintext appears only in the answer that issued it.
 */
import type { IssuedKey, RolledKey } from '../consumers/issue-keys.ts';
import { keyState } from '../consumers/key-state.ts';
import type { StoredApiKey } from '../store/api-keys.ts';
import type { ConsumerRecord } from '../store/consumers.ts';

export function consumerView(consumer: ConsumerRecord) {
  const { id, name, tags, plan, metadata, createdBy, createdAt, updatedBy, updatedAt } = consumer;
  return { id, name, tags, plan, metadata, createdBy, createdAt, updatedBy, updatedAt };
}

export function keyView(key: StoredApiKey, now: Date) {
  const { id, keySet, hint, createdBy, createdAt, expiresAt, revokedAt, rolledInto } = key;
  return {
    id,
    keySet,
    hint,
    createdBy,
    createdAt,
    expiresAt,
    revokedAt,
    rolledInto,
    state: keyState(key, now),
  };
}

/** A key just issued, with its plaintext `key`: the one time it is shown. */
export function issuedKeyView(issued: IssuedKey, now: Date) {
  return { ...keyView(issued.key, now), consumer: issued.consumer.name, key: issued.plaintext };
}

export function rolledKeyView(rolled: RolledKey, now: Date) {
  return { ...issuedKeyView(rolled, now), previous: keyView(rolled.previous, now) };
}
