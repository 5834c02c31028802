/**
 * Webhook deliveries already handled (migration 0006), keyed by the provider's delivery id
 * and by the digest of the payload. Claiming is one insert, so D1 decides atomically
 * whether a delivery is new: one whose id or payload was claimed before is a replay (the
 * payload key stops a signed body resent under a new, unsigned, delivery id). A claim is
 * released only when handling failed in a way a redelivery could fix.
 */
import type { ProviderName } from './repositories.ts';

export interface DeliveryClaim {
  readonly provider: ProviderName;
  readonly deliveryId: string;
  readonly payloadSha256: string;
  readonly repositoryId: string;
  readonly receivedAt: string;
}

/** False when the delivery id or the payload was claimed before: the delivery is a replay. */
export async function claimDelivery(db: D1Database, claim: DeliveryClaim): Promise<boolean> {
  const result = await db
    .prepare(
      `INSERT INTO webhook_deliveries (provider, delivery_id, payload_sha256, repository_id, received_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(claim.provider, claim.deliveryId, claim.payloadSha256, claim.repositoryId, claim.receivedAt)
    .run();
  return result.meta.changes === 1;
}

export async function releaseDelivery(
  db: D1Database,
  provider: ProviderName,
  deliveryId: string,
): Promise<void> {
  await db
    .prepare('DELETE FROM webhook_deliveries WHERE provider = ? AND delivery_id = ?')
    .bind(provider, deliveryId)
    .run();
}
