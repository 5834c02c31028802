/**
 * Helpers for the consumer and API-key tests: making consumers, keys and tokens through
 * the API, and reading back the rows, audit entries and KV records they leave.
 */
import { env } from 'cloudflare:workers';
import { type ApiKeyRecord, ApiKeyRecordSchema, hashApiKey } from '../../src/config/api-keys.ts';
import { kvKeys } from '../../src/config/kv-keys.ts';
import { type CallOptions, callJson, type JsonBody } from './support.ts';

let consumers = 0;
/** A consumer name no other test of the file uses. */
export function uniqueConsumer(prefix = 'acme'): string {
  consumers += 1;
  return `${prefix}-${consumers}`;
}

export async function tokenFor(role: 'viewer' | 'deployer' | 'admin'): Promise<string> {
  const { body } = await callJson('/api/v1/tokens', { json: { name: role, role } });
  return body.token;
}

/** Creates the consumer, failing the test unless it was created. */
export async function createConsumer(name: string, fields: Record<string, unknown> = {}): Promise<JsonBody> {
  return created(await callJson('/api/v1/consumers', { json: { name, ...fields } }));
}

/** Issues a key to the consumer, failing the test unless it was issued. */
export async function createKey(
  consumer: string,
  request: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<JsonBody> {
  return created(await callJson(`/api/v1/consumers/${consumer}/keys`, { json: request, ...options }));
}

/** The KV record of the key with this plaintext, parsed by the shared schema; null when absent. */
export async function kvRecordOf(plaintext: string): Promise<ApiKeyRecord | null> {
  const text = await env.CONFIG.get(kvKeys.apiKey(await hashApiKey(plaintext)));
  return text === null ? null : ApiKeyRecordSchema.parse(JSON.parse(text));
}

export async function keyRow(id: string): Promise<Record<string, unknown> | null> {
  return env.DB.prepare('SELECT * FROM api_keys WHERE id = ?').bind(id).first();
}

export async function auditRows(
  target: string,
): Promise<{ actor: string; action: string; details: JsonBody }[]> {
  const { results } = await env.DB.prepare(
    'SELECT actor, action, details FROM audit_log WHERE target = ? ORDER BY id',
  )
    .bind(target)
    .all<{ actor: string; action: string; details: string }>();
  return results.map((row) => ({ ...row, details: JSON.parse(row.details) }));
}

function created(response: { status: number; body: JsonBody }): JsonBody {
  if (response.status !== 201)
    throw new Error(`expected 201: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
