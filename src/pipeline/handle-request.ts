/**
 * One request against the deployment serving it: normalise the path once, match a
 * route, run it. The normalised path replaces the request's own, so policies and the
 * proxy see exactly the path routing saw. Failing any step is a problem response.
 *
 * The runtime hands the worker a request with immutable headers, and inbound policies
 * edit headers in place (src/policies/contract.ts), so a route with inbound policies
 * runs on the gateway's own copy; the same copy carries the normalised path when it
 * differs. A route without them passes the request on as it came: the proxy builds
 * its upstream request from it and never edits it.
 *
 * Besides the response it returns what the analytics event needs: the route, the
 * problem the gateway answered itself, and the data the route's policies and handler
 * left (the consumer, the upstream call).
 */
import type { CompiledRoute } from '../config/compiled.ts';
import type { LoadedDeployment } from '../deployment/load.ts';
import { normalisePath } from '../http/path.ts';
import { type GatewayProblem, gatewayProblem } from '../http/problems.ts';
import type { RequestData } from '../policies/contract.ts';
import { RequestContext, type RequestScope } from './context.ts';
import { type PipelineResult, runRoute } from './run-route.ts';
import type { LoadedRoute } from './types.ts';

export interface HandledRequest extends PipelineResult {
  /** The route that ran; absent when none matched. */
  readonly route?: CompiledRoute;
  /** The problem the gateway answered before any route ran. */
  readonly problem?: GatewayProblem['kind'];
  /** The request's data map, when a policy or the handler used it. */
  readonly data?: RequestData;
}

export async function handleRequest(
  request: Request,
  url: URL,
  hostname: string,
  deployment: LoadedDeployment,
  scope: RequestScope,
): Promise<HandledRequest> {
  const normalised = normalisePath(url.pathname);
  if (!normalised.ok) return answered({ kind: 'invalid-path', reason: normalised.reason }, scope.requestId);
  const { path } = normalised;
  const { method } = request;
  const match = deployment.routes.match(hostname, method, path);
  switch (match.kind) {
    case 'no-route':
      return answered({ kind: 'no-route', method, path }, scope.requestId);
    case 'method-not-allowed':
      return answered({ kind: 'method-not-allowed', method, allow: match.allow }, scope.requestId);
    case 'found': {
      const { route } = match;
      const ctx = new RequestContext(scope, route.route, match.params);
      const { response, outcomes } = await runRoute(route, routedRequest(request, url, path, route), ctx);
      return { response, outcomes, route: route.route, data: ctx.dataIfUsed };
    }
  }
}

/** The request the route runs on: the gateway's own copy when the path or a policy needs one. */
function routedRequest(request: Request, url: URL, path: string, route: LoadedRoute): Request {
  if (path !== url.pathname) return new Request(url.origin + path + url.search, request);
  return route.inbound.length > 0 ? new Request(request) : request;
}

function answered(problem: GatewayProblem, requestId: string): HandledRequest {
  return { response: gatewayProblem(problem, requestId), outcomes: [], problem: problem.kind };
}
