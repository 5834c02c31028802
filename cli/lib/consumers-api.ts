/**
 * The consumers and API-keys part of the control plane's REST API, typed for the CLI:
 * the JSON the API answers (control-plane/src/api/consumer-views.ts) and one function a
 * call. Failures surface as the client's ApiError and UnreachableError.
 */
import type { ControlPlaneClient } from './control-plane-client.ts';

export interface Consumer {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly plan: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface ApiKey {
  readonly id: string;
  readonly keySet: 'live' | 'test';
  /** The key's first characters, e.g. `ew_live_Ab3d...`. */
  readonly hint: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly rolledInto: string | null;
  readonly state: 'active' | 'expiring' | 'expired' | 'revoked';
}

/** A key just issued: the only answer that carries the key itself. */
export interface IssuedApiKey extends ApiKey {
  readonly consumer: string;
  readonly key: string;
}

export interface RolledApiKey extends IssuedApiKey {
  /** The key rolled, with the end of its grace period as its expiry. */
  readonly previous: ApiKey;
}

export interface ConsumerFields {
  readonly tags?: readonly string[];
  readonly plan?: string | null;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface KeyRequest {
  readonly keySet?: 'live' | 'test';
  readonly expiresAt?: string;
}

const consumerPath = (name: string) => `/api/v1/consumers/${encodeURIComponent(name)}`;
const keyPath = (id: string, action: string) => `/api/v1/keys/${encodeURIComponent(id)}/${action}`;

export function createConsumer(
  api: ControlPlaneClient,
  name: string,
  fields: ConsumerFields,
): Promise<Consumer> {
  return api.call('POST', '/api/v1/consumers', { name, ...fields });
}

/** Every consumer (with the tag, when given), following the API's pages. */
export async function listConsumers(api: ControlPlaneClient, tag?: string): Promise<Consumer[]> {
  const consumers: Consumer[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: '1000' });
    if (tag !== undefined) query.set('tag', tag);
    if (cursor !== null) query.set('cursor', cursor);
    const page: { consumers: Consumer[]; nextCursor: string | null } = await api.call(
      'GET',
      `/api/v1/consumers?${query}`,
    );
    consumers.push(...page.consumers);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return consumers;
}

export function getConsumer(
  api: ControlPlaneClient,
  name: string,
): Promise<Consumer & { readonly keys: readonly ApiKey[] }> {
  return api.call('GET', consumerPath(name));
}

export function updateConsumer(
  api: ControlPlaneClient,
  name: string,
  fields: ConsumerFields,
): Promise<Consumer> {
  return api.call('PATCH', consumerPath(name), fields);
}

export async function deleteConsumer(api: ControlPlaneClient, name: string): Promise<void> {
  await api.call('DELETE', consumerPath(name));
}

export function createKey(
  api: ControlPlaneClient,
  consumer: string,
  request: KeyRequest,
): Promise<IssuedApiKey> {
  return api.call('POST', `${consumerPath(consumer)}/keys`, request);
}

export async function listKeys(api: ControlPlaneClient, consumer: string): Promise<readonly ApiKey[]> {
  return (await api.call<{ keys: readonly ApiKey[] }>('GET', `${consumerPath(consumer)}/keys`)).keys;
}

export function rollKey(
  api: ControlPlaneClient,
  id: string,
  gracePeriodSeconds?: number,
): Promise<RolledApiKey> {
  return api.call(
    'POST',
    keyPath(id, 'roll'),
    gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds },
  );
}

export function revokeKey(api: ControlPlaneClient, id: string): Promise<ApiKey> {
  return api.call('POST', keyPath(id, 'revoke'));
}
