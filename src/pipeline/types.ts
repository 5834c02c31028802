/**
 * What a loaded deployment hands the pipeline for one route: its policies already
 * instantiated and in order, and its handler already built. Nothing here is parsed or
 * looked up per request.
 */
import type { CompiledRoute, PolicyMode } from '../config/compiled.ts';
import type { InboundPolicy, OutboundPolicy, PolicyContext } from '../policies/contract.ts';

/**
 * Produces the response for a request that passed the inbound policies. The response's
 * headers must be mutable (outbound policies and the stamp edit them in place), which
 * they are in any Response the handler constructs.
 */
export type Handler = (request: Request, ctx: PolicyContext) => Promise<Response>;

export interface PolicyStep<Run> {
  /** The policy instance's name in the config. */
  readonly name: string;
  readonly mode: PolicyMode;
  readonly run: Run;
}

export interface LoadedRoute {
  readonly route: CompiledRoute;
  readonly inbound: readonly PolicyStep<InboundPolicy>[];
  readonly outbound: readonly PolicyStep<OutboundPolicy>[];
  readonly handler: Handler;
}
