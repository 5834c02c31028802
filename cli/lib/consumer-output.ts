/**
 * How `edgeway consumers` and `edgeway keys` print keys: a table of them, and a key just
 * issued, whose plaintext is printed this once with a line saying it will not be again.
 */
import type { ApiKey, IssuedApiKey } from './consumers-api.ts';
import { table, timestamp } from './format.ts';

export function keysTable(keys: readonly ApiKey[]): string {
  const rows = keys.map((key) => [
    key.id,
    key.keySet,
    key.hint,
    key.state,
    timestamp(key.createdAt),
    key.expiresAt ? timestamp(key.expiresAt) : '-',
  ]);
  return table(['ID', 'SET', 'HINT', 'STATE', 'CREATED', 'EXPIRES'], rows);
}

/** The issued key's id, plaintext and lifetime, and the warning to store it now. */
export function issuedKeyLines(key: IssuedApiKey): string[] {
  const expiry = key.expiresAt ? `expires ${timestamp(key.expiresAt)}` : 'does not expire';
  return [
    `Key ${key.id} for ${key.consumer} (${key.keySet}, ${expiry}):`,
    '',
    `  ${key.key}`,
    '',
    'Store it now: it will not be shown again.',
  ];
}
