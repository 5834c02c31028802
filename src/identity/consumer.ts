/**
 * Who is calling: the consumer an auth policy established for this request. Auth
 * policies (api-key-auth, jwt-auth, oauth-introspection, mtls-auth, basic-auth) set it
 * under CONSUMER; later policies read it (require-consumer for access rules, the rate
 * limiter for its key) and the pipeline records it for analytics. A request without one
 * is anonymous.
 */
import { dataKey } from '../policies/contract.ts';

/** How the caller proved who it is. */
export type AuthMethod = 'api-key' | 'jwt' | 'oauth' | 'mtls' | 'basic';

export interface Consumer {
  /**
   * Stable id: a managed consumer's id (`con_...`) for API keys; the token's subject for
   * JWT and OAuth; the certificate's subject (or fingerprint) for mTLS; the user name for
   * basic auth.
   */
  readonly id: string;
  /** Readable name: a managed consumer's unique name, else the same as `id`. */
  readonly name: string;
  readonly method: AuthMethod;
  readonly tags: readonly string[];
  readonly plan?: string;
  /** A managed consumer's metadata (at most 1 KB of JSON); empty for the others. */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** OAuth 2.0 scopes granted to the credential (JWT `scope`/`scp`, introspection `scope`). */
  readonly scopes: readonly string[];
  /** The credential's own id where it has one (an API key's `key_...`), for limits and analytics. */
  readonly credentialId?: string;
  /** A verified JWT's claims or an introspection result, for claim-keyed limits. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export const CONSUMER = dataKey<Consumer>('consumer');
