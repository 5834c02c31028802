/**
 * What the webhook receiver needs from a Git provider. Each provider module implements it
 * from that provider's documentation; receive.ts runs the same steps for all of them.
 */
import { z } from 'zod';
import type { Result } from '../../../src/config/result.ts';
import type { ProviderName, RepositoryRecord } from '../store/repositories.ts';

/** A commit id: SHA-1, or SHA-256 in repositories that use it. */
export const CommitIdSchema = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/);

export interface SignedRequest {
  readonly headers: Headers;
  /** The body exactly as received: signatures are computed over these bytes. */
  readonly body: Uint8Array;
}

/** A delivery whose signature holds. */
export interface Delivery {
  /** The provider's id for the delivery, kept on a redelivery: the dedupe key. */
  readonly id: string;
  /** When the provider signed it (ms since the epoch), if the signature covers a time. */
  readonly signedAt: number | null;
}

export type AuthFailure =
  | { readonly kind: 'missing-signature'; readonly header: string }
  | { readonly kind: 'bad-signature' }
  | { readonly kind: 'missing-delivery-id'; readonly header: string };

export interface PushEvent {
  /** The full ref, e.g. `refs/heads/main`. */
  readonly ref: string;
  /** The commit the ref points at after the push; all zeros when the push deleted it. */
  readonly after: string;
  /** `Name <email>` of the head commit's author, or of the pusher when there is no head commit. */
  readonly author: string;
  readonly message: string;
  /** When the push happened (ms since the epoch), if the signed payload says. */
  readonly pushedAt: number | null;
}

export interface ArchiveRequest {
  readonly url: string;
  /** Sent to the API's origin only, never to a host it redirects to. */
  readonly credentials: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
}

export interface Provider {
  readonly name: ProviderName;
  /** Null when the provider has no public instance: registrations must give `apiBaseUrl`. */
  readonly defaultApiBaseUrl: string | null;
  /** A repository path as the provider spells it; the text says what is expected. */
  readonly repositoryPath: { readonly pattern: RegExp; readonly expected: string };
  /** Why a webhook secret cannot be used with this provider, or null when it can. */
  secretProblem(secret: string): string | null;
  /** The event a delivery carries, from its header. */
  event(headers: Headers): string | null;
  readonly pushEvent: string;
  /** The repository a payload names, read before it is authenticated, only to find its secret. */
  repositoryOf(payload: unknown): string | null;
  authenticate(request: SignedRequest, secret: string): Promise<Result<Delivery, AuthFailure>>;
  /** Null when the payload is not a push event this receiver understands. */
  parsePush(payload: unknown): PushEvent | null;
  archiveRequest(repository: RepositoryRecord, commit: string, token: string): ArchiveRequest;
}

/** `Name <email>`, the form deployments record an author in. */
export function authorOf(name: string, email: string | null | undefined): string {
  return email ? `${name} <${email}>` : name;
}
