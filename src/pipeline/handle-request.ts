/**
 * One request against the deployment serving it: normalise the path once, match a
 * route, run it. The normalised path replaces the request's own, so policies and the
 * proxy see exactly the path routing saw. Failing any step is a problem response.
 */
import type { LoadedDeployment } from '../deployment/load.ts';
import { normalisePath } from '../http/path.ts';
import { gatewayProblem } from '../http/problems.ts';
import { RequestContext, type RequestScope } from './context.ts';
import { type PipelineResult, runRoute } from './run-route.ts';

export async function handleRequest(
  request: Request,
  url: URL,
  hostname: string,
  deployment: LoadedDeployment,
  scope: RequestScope,
): Promise<PipelineResult> {
  const normalised = normalisePath(url.pathname);
  if (!normalised.ok)
    return answered(gatewayProblem({ kind: 'invalid-path', reason: normalised.reason }, scope.requestId));
  const { path } = normalised;
  const { method } = request;
  const match = deployment.routes.match(hostname, method, path);
  switch (match.kind) {
    case 'no-route':
      return answered(gatewayProblem({ kind: 'no-route', method, path }, scope.requestId));
    case 'method-not-allowed':
      return answered(
        gatewayProblem({ kind: 'method-not-allowed', method, allow: match.allow }, scope.requestId),
      );
    case 'found': {
      const routed = path === url.pathname ? request : new Request(url.origin + path + url.search, request);
      return runRoute(match.route, routed, new RequestContext(scope, match.route.route, match.params));
    }
  }
}

function answered(response: Response): PipelineResult {
  return { response, outcomes: [] };
}
