/**
 * RFC 9457 problem details, shared by both planes. Every response Edgeway makes itself
 * is `application/problem+json` with a stable `type` a client can switch on.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_BASE = 'https://edgeway.dev/problems/';

export interface Problem {
  /** Stable slug; the `type` member is PROBLEM_BASE + slug. */
  readonly slug: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly requestId?: string;
  /** Extension members (RFC 9457 §3.2), e.g. `errors` or `allow`. */
  readonly extensions?: Readonly<Record<string, unknown>>;
}

export function problemType(slug: string): string {
  return PROBLEM_BASE + slug;
}

export function problemResponse(problem: Problem, headers?: HeadersInit): Response {
  const body = {
    type: problemType(problem.slug),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    ...(problem.requestId ? { requestId: problem.requestId } : {}),
    ...problem.extensions,
  };
  const responseHeaders = new Headers(headers);
  responseHeaders.set('content-type', PROBLEM_CONTENT_TYPE);
  responseHeaders.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { status: problem.status, headers: responseHeaders });
}
