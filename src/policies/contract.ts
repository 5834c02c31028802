/**
 * The contract between the pipeline and every policy. A policy's `create` runs once per
 * loaded deployment and returns named functions for the phases it supports; those run
 * per request and must not parse options or touch KV.
 *
 * Messages are edited in place (docs/decisions/0007-policies-edit-messages-in-place.md).
 * The pipeline owns the Request it hands an inbound policy and the Response it hands an
 * outbound one, and guarantees their headers are mutable: a policy edits them directly
 * and returns the same object. A policy that returns a different message must return
 * one with mutable headers too. Anything it constructs has them; a fetch() response
 * does not, so a policy passing one on returns a copy, `new Response(r.body, r)`. In
 * report mode a policy is handed a clone, so its edits are discarded.
 */
import type { CompiledRoute } from '../config/compiled.ts';
import type { ApiKeyDirectory } from '../identity/api-key-directory.ts';
import type { RateLimitZone } from '../rate-limit/protocol.ts';

/** A typed slot in the per-request data map; create one per kind of data. */
export interface DataKey<T> {
  readonly name: string;
  readonly _type?: T;
}
export const dataKey = <T>(name: string): DataKey<T> => ({ name });

/** Data one policy leaves for another during one request (auth sets the consumer, ...). */
export class RequestData {
  readonly #values = new Map<DataKey<unknown>, unknown>();
  get<T>(key: DataKey<T>): T | undefined {
    return this.#values.get(key) as T | undefined;
  }
  set<T>(key: DataKey<T>, value: T): void {
    this.#values.set(key, value);
  }
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface PolicyContext {
  readonly requestId: string;
  readonly route: CompiledRoute;
  readonly params: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, unknown>>;
  readonly data: RequestData;
  readonly log: Logger;
  now(): number;
  waitUntil(promise: Promise<unknown>): void;
}

/** Returns the request to pass on (usually the one it was given), or a response that stops the chain. */
export type InboundPolicy = (request: Request, ctx: PolicyContext) => Promise<Request | Response>;
export type OutboundPolicy = (response: Response, ctx: PolicyContext) => Promise<Response>;

export interface PolicyInstance {
  readonly inbound?: InboundPolicy;
  readonly outbound?: OutboundPolicy;
}

/** Built once per deployment: what a factory may use besides its options. */
export interface PolicyDeps {
  /** The policy instance's name in the config, for logs. */
  readonly name: string;
  /** The environment the deployment serves (`production`, or a preview's name). */
  readonly environment: string;
  /** The isolate's API-key records, shared by every deployment it loads. */
  readonly apiKeys: ApiKeyDirectory;
  /** The global rate-limit zone, for the rate-limit and quota policies. */
  readonly rateLimitZone: RateLimitZone;
}

export type PolicyFactory<Options> = (options: Options, deps: PolicyDeps) => PolicyInstance;
