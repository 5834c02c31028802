/**
 * The proxy handler: forwards a request to its upstream and streams both bodies through.
 * The target is the upstream URL plus the request's (already normalised) path and its
 * query. Redirects are passed to the client, not followed. The timeout bounds the wait
 * for the response head only, so a long download is not cut off.
 *
 * The response it returns is its own copy of the upstream's, with mutable headers and
 * the hop-by-hop fields removed, so outbound policies and the gateway's stamp edit it in
 * place (src/policies/contract.ts). How long the upstream took is left in the request's
 * data (UPSTREAM_CALL) for the analytics event.
 */
import type { CompiledUpstream } from '../config/compiled.ts';
import type { PolicyContext } from '../policies/contract.ts';
import { upstreamRequestHeaders } from './forwarding.ts';
import { stripHopByHop } from './hop-by-hop.ts';
import { isNullBodyStatus } from './null-body.ts';
import { gatewayProblem } from './problems.ts';
import { UPSTREAM_CALL } from './upstream-call.ts';
import { urlParts } from './url-parts.ts';

export function createProxyHandler(upstreamName: string, upstream: CompiledUpstream) {
  const { url: base, timeoutMs } = upstream;
  return async function proxy(request: Request, ctx: PolicyContext): Promise<Response> {
    const url = urlParts(request.url);
    const controller = new AbortController();
    const timer = setTimeout(abortOnTimeout, timeoutMs, controller);
    const startedAt = ctx.now();
    let upstreamResponse: Response;
    try {
      upstreamResponse = await fetch(base + url.pathAndQuery, {
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
      ctx.data.set(UPSTREAM_CALL, { latencyMs: ctx.now() - startedAt, failure: problem.kind });
      return gatewayProblem(problem, ctx.requestId);
    } finally {
      clearTimeout(timer);
    }
    ctx.data.set(UPSTREAM_CALL, { latencyMs: ctx.now() - startedAt });
    const { status, statusText, headers } = upstreamResponse;
    const response = new Response(isNullBodyStatus(status) ? null : upstreamResponse.body, {
      status,
      statusText,
      headers,
    });
    stripHopByHop(response.headers);
    return response;
  };
}

function abortOnTimeout(controller: AbortController): void {
  controller.abort();
}
