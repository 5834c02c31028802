/**
 * The headers every response leaves with: the request id and, when a deployment served
 * the request, that deployment's id, so a client can tell which configuration answered.
 */
import { REQUEST_ID_HEADER } from './request-id.ts';

export const DEPLOYMENT_HEADER = 'edgeway-deployment';

export function stampResponse(response: Response, requestId: string, deploymentId?: string): Response {
  try {
    stamp(response.headers, requestId, deploymentId);
    return response;
  } catch {
    // Handlers and policies return responses with mutable headers (src/policies/contract.ts);
    // one that breaks the contract (passes a fetch() response on) is copied, not failed.
    const copy = new Response(response.body, response);
    stamp(copy.headers, requestId, deploymentId);
    return copy;
  }
}

function stamp(headers: Headers, requestId: string, deploymentId: string | undefined): void {
  headers.set(REQUEST_ID_HEADER, requestId);
  if (deploymentId !== undefined) headers.set(DEPLOYMENT_HEADER, deploymentId);
}
