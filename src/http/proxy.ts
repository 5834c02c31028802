/**
 * The proxy handler: forwards a request to its upstream and streams both bodies through.
 * The target is the upstream URL plus the request's (already normalised) path and its
 * query. Redirects are passed to the client, not followed. The timeout bounds the wait
 * for the response head only, so a long download is not cut off.
 */
import type { CompiledUpstream } from '../config/compiled.ts';
import type { PolicyContext } from '../policies/contract.ts';
import { upstreamRequestHeaders } from './forwarding.ts';
import { withoutHopByHop } from './hop-by-hop.ts';
import { isNullBodyStatus } from './null-body.ts';
import { gatewayProblem } from './problems.ts';

export function createProxyHandler(upstreamName: string, upstream: CompiledUpstream) {
  const { url: base, timeoutMs } = upstream;
  return async function proxy(request: Request, ctx: PolicyContext): Promise<Response> {
    const url = new URL(request.url);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await fetch(base + url.pathname + url.search, {
        method: request.method,
        headers: upstreamRequestHeaders(request, url, ctx.requestId),
        body: request.body,
        redirect: 'manual',
        signal: controller.signal,
      });
    } catch (error) {
      const timedOut = controller.signal.aborted;
      ctx.log.warn(timedOut ? 'upstream timed out' : 'upstream unreachable', {
        upstream: upstreamName,
        error: String(error),
      });
      const problem = timedOut
        ? ({ kind: 'upstream-timeout', timeoutMs } as const)
        : ({ kind: 'upstream-unreachable' } as const);
      return gatewayProblem(problem, ctx.requestId);
    } finally {
      clearTimeout(timer);
    }
    return new Response(isNullBodyStatus(response.status) ? null : response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: withoutHopByHop(response.headers),
    });
  };
}
