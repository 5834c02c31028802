/**
 * Everything a webhook delivery must pass before anything acts on it, in order: the body is
 * JSON naming a repository; that repository is registered for this provider; the delivery
 * is authenticated with the registration's secret; it is a push; and it is fresh (signed or
 * pushed within REPLAY_WINDOW_MS of now, either way). The payload is read before it is
 * authenticated only to learn whose secret authenticates it. Dedupe comes after, in
 * handle-delivery.ts, so that only authenticated deliveries can claim an id.
 */

import { err, ok, type Result } from '../../../src/config/result.ts';
import { importSecretsKey, type KeyFailure, type OpenFailure, open } from '../../../src/config/secret-box.ts';
import { findRepository, type StoredRepository } from '../store/repositories.ts';
import type { AuthFailure, Delivery, Provider, PushEvent } from './provider.ts';

/** Standard Webhooks' tolerance; applied to times in the future too (clock skew). */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000;

export type Refusal =
  | AuthFailure
  | { readonly kind: 'invalid-payload' }
  | { readonly kind: 'repository-not-registered'; readonly repository: string }
  | { readonly kind: 'secret-unavailable'; readonly reason: KeyFailure | OpenFailure }
  | { readonly kind: 'stale'; readonly at: number }
  | { readonly kind: 'replayed'; readonly deliveryId: string };

export type Verified =
  | { readonly kind: 'ignored'; readonly event: string | null }
  | {
      readonly kind: 'push';
      readonly registration: StoredRepository;
      readonly delivery: Delivery;
      readonly push: PushEvent;
    };

export interface DeliveryInput {
  readonly provider: Provider;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly db: D1Database;
  readonly secretsKey: string | undefined;
  readonly now: number;
}

export async function verifyDelivery(input: DeliveryInput): Promise<Result<Verified, Refusal>> {
  const { provider, headers, body } = input;
  const event = provider.event(headers);
  const isPush = event === provider.pushEvent;
  const payload = parseJson(body);
  const repository = payload === undefined ? null : provider.repositoryOf(payload);
  if (repository === null) return isPush ? err({ kind: 'invalid-payload' }) : ok({ kind: 'ignored', event });

  const registration = await findRepository(input.db, provider.name, repository);
  if (!registration) return err({ kind: 'repository-not-registered', repository });
  const secret = await openWebhookSecret(input.secretsKey, registration);
  if (!secret.ok) return err({ kind: 'secret-unavailable', reason: secret.error });
  const delivery = await provider.authenticate({ headers, body }, secret.value);
  if (!delivery.ok) return delivery;
  if (!isPush) return ok({ kind: 'ignored', event });

  const push = provider.parsePush(payload);
  if (!push) return err({ kind: 'invalid-payload' });
  const at = delivery.value.signedAt ?? push.pushedAt;
  if (at !== null && Math.abs(input.now - at) > REPLAY_WINDOW_MS) return err({ kind: 'stale', at });
  return ok({ kind: 'push', registration, delivery: delivery.value, push });
}

/** The context binds a sealed secret to its row: see crypto/secret-box.ts. */
export function webhookSecretContext(repositoryId: string): string {
  return `repository:${repositoryId}:webhook-secret`;
}

async function openWebhookSecret(
  secretsKey: string | undefined,
  registration: StoredRepository,
): Promise<Result<string, KeyFailure | OpenFailure>> {
  const key = await importSecretsKey(secretsKey);
  if (!key.ok) return key;
  return open(key.value, registration.webhookSecretSealed, webhookSecretContext(registration.id));
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}
