/**
 * Why a consumer or key operation did not happen, or did not finish. Each reason is a value
 * the API turns into its problem text (api/consumer-problems.ts); nothing here throws.
 */

export type ConsumerFailure = { readonly kind: 'consumer-not-found' };

/** The consumer or key changed (a key was created, rolled or revoked) while the operation ran; nothing was applied. */
export type ChangedFailure = { readonly kind: 'changed' };

export type KeyRefusal =
  | { readonly kind: 'key-not-found' }
  | { readonly kind: 'key-revoked' }
  | { readonly kind: 'key-rolled'; readonly rolledInto: string }
  | { readonly kind: 'key-expired' };

/** KV failures, each leaving a state the failure's problem text describes. */
export type StorageFailure =
  /** A new key's record could not be written: the key was withdrawn and never shown. */
  | { readonly kind: 'publish-failed' }
  /** Revoked in D1, but a KV record may remain: the same call again deletes it. */
  | { readonly kind: 'unpublish-failed' }
  /** The consumer was saved in D1, but some key records still hold its old fields. */
  | { readonly kind: 'republish-failed' };

export type ConsumersFailure = ConsumerFailure | ChangedFailure | KeyRefusal | StorageFailure;
