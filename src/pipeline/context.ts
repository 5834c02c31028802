/**
 * The PolicyContext of one request. Built for every routed request, so what not every
 * request needs (the data map, the request-scoped logger) is created on first use.
 */
import type { CompiledRoute } from '../config/compiled.ts';
import { type Logger, type PolicyContext, RequestData } from '../policies/contract.ts';
import { withFields } from './log.ts';

/** What the gateway knows about a request before a route is chosen. */
export interface RequestScope {
  readonly requestId: string;
  readonly env: Readonly<Record<string, unknown>>;
  readonly log: Logger;
  readonly now: () => number;
  readonly waitUntil: (promise: Promise<unknown>) => void;
}

export class RequestContext implements PolicyContext {
  readonly requestId: string;
  readonly env: Readonly<Record<string, unknown>>;
  readonly route: CompiledRoute;
  readonly params: Readonly<Record<string, string>>;
  readonly #scope: RequestScope;
  #data: RequestData | undefined;
  #log: Logger | undefined;

  constructor(scope: RequestScope, route: CompiledRoute, params: Readonly<Record<string, string>>) {
    this.#scope = scope;
    this.requestId = scope.requestId;
    this.env = scope.env;
    this.route = route;
    this.params = params;
  }

  get data(): RequestData {
    this.#data ??= new RequestData();
    return this.#data;
  }
  /** The data map if anything used it, for the analytics event; never creates one. */
  get dataIfUsed(): RequestData | undefined {
    return this.#data;
  }
  get log(): Logger {
    this.#log ??= withFields(this.#scope.log, { requestId: this.#scope.requestId, route: this.route.id });
    return this.#log;
  }
  now(): number {
    return this.#scope.now();
  }
  waitUntil(promise: Promise<unknown>): void {
    this.#scope.waitUntil(promise);
  }
}
