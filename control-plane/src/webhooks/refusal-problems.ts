/**
 * The public text of every reason a webhook delivery is refused before it acts. The switch
 * is exhaustive: a new refusal does not compile until it has its problem here.
 */
import type { ProblemSpec } from '../api/problems.ts';
import { REPLAY_WINDOW_MS, type Refusal } from './verify-delivery.ts';

export function refusalProblem(refusal: Refusal): ProblemSpec {
  switch (refusal.kind) {
    case 'invalid-payload':
      return {
        slug: 'webhook-payload-invalid',
        status: 400,
        title: 'Webhook payload not understood',
        detail:
          'The body is not a JSON push event naming its repository. Set the webhook content type to application/json.',
      };
    case 'repository-not-registered':
      return {
        slug: 'repository-not-registered',
        status: 404,
        title: 'Repository not registered',
        detail: `No repository named ${refusal.repository} is registered for this provider; register it with POST /api/v1/repositories. Nothing was deployed.`,
      };
    case 'secret-unavailable':
      return {
        slug: 'webhook-secret-unavailable',
        status: 503,
        title: 'Webhook secret unavailable',
        detail:
          "The control plane cannot read this repository's webhook secret; its operator must check the SECRETS_KEY secret. Nothing was deployed.",
      };
    case 'missing-signature':
      return {
        slug: 'webhook-signature-missing',
        status: 401,
        title: 'Webhook not signed',
        detail: `The delivery has no ${refusal.header}; set the webhook's secret to the one registered. Nothing was deployed.`,
      };
    case 'bad-signature':
      return {
        slug: 'webhook-signature-invalid',
        status: 401,
        title: 'Webhook signature does not match',
        detail:
          "The delivery's signature does not match the registered webhook secret for this body. Nothing was deployed.",
      };
    case 'missing-delivery-id':
      return {
        slug: 'webhook-delivery-id-missing',
        status: 400,
        title: 'Webhook delivery id missing',
        detail: `The delivery has no ${refusal.header}, which tells a new delivery from a replayed one. Nothing was deployed.`,
      };
    case 'stale':
      return {
        slug: 'webhook-stale',
        status: 409,
        title: 'Webhook delivery outside the replay window',
        detail: `The delivery was made at ${new Date(refusal.at).toISOString()}, more than ${REPLAY_WINDOW_MS / 60_000} minutes from now; it is refused as a possible replay. Nothing was deployed; push again to deploy.`,
      };
    case 'replayed':
      return {
        slug: 'webhook-replayed',
        status: 409,
        title: 'Webhook delivery already handled',
        detail: `Delivery ${refusal.deliveryId}, or one with the same payload, was handled before; a delivery is acted on once. Nothing was deployed.`,
      };
  }
}
