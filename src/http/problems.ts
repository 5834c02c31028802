/**
 * Every error response the data plane makes itself, as RFC 9457 problem details. Each
 * failure is a tagged value; one exhaustive switch turns it into its stable `type`, its
 * status and text a client can act on, so the public wording lives in one place.
 */
import { problemResponse } from '../config/problem.ts';
import type { PathRejection } from './path.ts';

export type GatewayProblem =
  | { readonly kind: 'invalid-path'; readonly reason: PathRejection }
  | { readonly kind: 'no-route'; readonly method: string; readonly path: string }
  | { readonly kind: 'method-not-allowed'; readonly method: string; readonly allow: readonly string[] }
  | { readonly kind: 'unknown-host'; readonly hostname: string }
  | { readonly kind: 'no-deployment'; readonly retryAfterSeconds: number }
  | { readonly kind: 'upstream-timeout'; readonly timeoutMs: number }
  | { readonly kind: 'upstream-unreachable' }
  | { readonly kind: 'internal-error' };

const PATH_REJECTIONS: Readonly<Record<PathRejection, string>> = {
  'encoded-slash': 'The path contains an encoded slash (%2F), which Edgeway does not accept.',
  'encoded-backslash': 'The path contains an encoded backslash (%5C), which Edgeway does not accept.',
  'encoded-nul': 'The path contains an encoded NUL byte (%00), which Edgeway does not accept.',
  'malformed-escape': 'The path contains a "%" that is not followed by two hexadecimal digits.',
};

export function gatewayProblem(problem: GatewayProblem, requestId: string): Response {
  switch (problem.kind) {
    case 'invalid-path':
      return problemResponse({
        slug: 'invalid-path',
        status: 400,
        title: 'Invalid request path',
        detail: PATH_REJECTIONS[problem.reason],
        requestId,
      });
    case 'no-route':
      return problemResponse({
        slug: 'no-route',
        status: 404,
        title: 'No route',
        detail: `No route matches ${problem.method} ${problem.path}.`,
        requestId,
      });
    case 'method-not-allowed':
      return problemResponse(
        {
          slug: 'method-not-allowed',
          status: 405,
          title: 'Method not allowed',
          detail: `This path does not accept ${problem.method}; the Allow header lists the methods it does.`,
          requestId,
        },
        { allow: problem.allow.join(', ') },
      );
    case 'unknown-host':
      return problemResponse({
        slug: 'unknown-host',
        status: 404,
        title: 'Unknown host',
        detail: `No environment serves ${problem.hostname}; a preview environment is removed when its branch is deleted.`,
        requestId,
      });
    case 'no-deployment':
      return problemResponse(
        {
          slug: 'no-deployment',
          status: 503,
          title: 'No deployment available',
          detail: 'The gateway has no configuration for this host yet; retry after the Retry-After interval.',
          requestId,
        },
        { 'retry-after': String(problem.retryAfterSeconds) },
      );
    case 'upstream-timeout':
      return problemResponse({
        slug: 'upstream-timeout',
        status: 504,
        title: 'Upstream timed out',
        detail: `The upstream did not start responding within ${problem.timeoutMs} ms.`,
        requestId,
      });
    case 'upstream-unreachable':
      return problemResponse({
        slug: 'upstream-unreachable',
        status: 502,
        title: 'Upstream unreachable',
        detail: 'The gateway could not connect to the upstream; try again later.',
        requestId,
      });
    case 'internal-error':
      return problemResponse({
        slug: 'internal-error',
        status: 500,
        title: 'Internal error',
        detail: 'The gateway failed to handle this request; quote the request id when reporting it.',
        requestId,
      });
  }
}
