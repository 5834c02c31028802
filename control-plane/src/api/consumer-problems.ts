/**
 * The public text of every expected consumer and key failure. The switch is exhaustive: a
 * new failure reason does not compile until it has its problem here.
 */
import type { ConsumersFailure } from '../consumers/failures.ts';
import type { ProblemSpec } from './problems.ts';

export const consumerExists = (name: string): ProblemSpec => ({
  slug: 'consumer-exists',
  status: 409,
  title: 'Consumer name taken',
  detail: `A consumer named ${name} exists already; names are unique.`,
});

export function consumersFailureProblem(failure: ConsumersFailure): ProblemSpec {
  switch (failure.kind) {
    case 'consumer-not-found':
      return {
        slug: 'consumer-not-found',
        status: 404,
        title: 'Consumer not found',
        detail: 'No consumer has that name.',
      };
    case 'key-not-found':
      return {
        slug: 'key-not-found',
        status: 404,
        title: 'API key not found',
        detail: 'No API key has that id.',
      };
    case 'key-revoked':
      return {
        slug: 'key-revoked',
        status: 409,
        title: 'API key revoked',
        detail: 'That key is revoked and cannot be rolled; create a new key for its consumer instead.',
      };
    case 'key-rolled':
      return {
        slug: 'key-rolled',
        status: 409,
        title: 'API key already rolled',
        detail: `That key was already rolled into ${failure.rolledInto}; roll that key instead.`,
        extensions: { rolledInto: failure.rolledInto },
      };
    case 'key-expired':
      return {
        slug: 'key-expired',
        status: 409,
        title: 'API key expired',
        detail: 'That key has expired and cannot be rolled; create a new key for its consumer instead.',
      };
    case 'changed':
      return {
        slug: 'concurrent-change',
        status: 409,
        title: 'Changed meanwhile',
        detail: 'The consumer or key changed while this request ran, and nothing was applied. Retry.',
      };
    case 'publish-failed':
      return storageError(
        'Writing the key to KV failed, so it was withdrawn; no key was issued. Retry shortly.',
      );
    case 'unpublish-failed':
      return storageError(
        'The keys are revoked, but deleting their KV records failed, so the gateway may still accept them. Send the same request again to finish.',
      );
    case 'republish-failed':
      return storageError(
        "The consumer was saved, but rewriting its keys' KV records failed, so the gateway may still see its previous fields. Send the same request again to finish.",
      );
  }
}

function storageError(detail: string): ProblemSpec {
  return { slug: 'storage-error', status: 503, title: 'Storage write failed', detail };
}
