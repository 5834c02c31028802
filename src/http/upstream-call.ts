/**
 * What the proxy handler leaves in the request's data map about its call to the
 * upstream, for the gateway's analytics event: how long the upstream took to answer
 * (its response head), and the problem the gateway answered instead when it did not.
 * Per-request data rather than a global, so concurrent requests never mix.
 */
import { dataKey } from '../policies/contract.ts';

export interface UpstreamCall {
  /** From the start of the upstream fetch to its response head, or to the failure. */
  readonly latencyMs: number;
  /** Set when the gateway answered a problem because the upstream did not. */
  readonly failure?: 'upstream-timeout' | 'upstream-unreachable';
}

export const UPSTREAM_CALL = dataKey<UpstreamCall>('upstream-call');
