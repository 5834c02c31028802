/**
 * Problem responses for the API: every error the control plane returns goes through
 * `problem`, which stamps the request id onto src/config/problem.ts's problem+json.
 */
import type { Context } from 'hono';
import { type Problem, problemResponse } from '../../../src/config/problem.ts';
import type { KeyFailure } from '../../../src/config/secret-box.ts';

export type ProblemSpec = Omit<Problem, 'requestId'>;

/** Any context: the request id comes from hono/request-id's typed variable. */
export function problem(c: Context, spec: ProblemSpec, headers?: HeadersInit): Response {
  return problemResponse({ ...spec, requestId: c.get('requestId') }, headers);
}

export const notFoundProblem: ProblemSpec = {
  slug: 'not-found',
  status: 404,
  title: 'Not found',
  detail: 'No API route matches this method and path; the API lives under /api/v1.',
};

export const deploymentNotFound: ProblemSpec = {
  slug: 'deployment-not-found',
  status: 404,
  title: 'Deployment not found',
  detail: 'No deployment has that id.',
};

export const environmentNotFound: ProblemSpec = {
  slug: 'environment-not-found',
  status: 404,
  title: 'Environment not found',
  detail: 'No environment has that name: none of its deployments has compiled yet, or it was deleted.',
};

export const tokenNotFound: ProblemSpec = {
  slug: 'token-not-found',
  status: 404,
  title: 'Token not found',
  detail: 'No API token has that id.',
};

/** 503 while the SECRETS_KEY Worker secret cannot seal anything; `retry` says what to do after fixing it. */
export function secretsKeyUnavailable(
  failure: KeyFailure | 'not the key that sealed them',
  retry: string,
): ProblemSpec {
  return {
    slug: 'secrets-key-unavailable',
    status: 503,
    title: 'Secrets key not configured',
    detail: `The SECRETS_KEY Worker secret is ${failure}; set it to base64 of 32 random bytes, then ${retry}.`,
  };
}

export const internalProblem: ProblemSpec = {
  slug: 'internal-error',
  status: 500,
  title: 'Internal error',
  detail:
    'The control plane failed unexpectedly. Retry later; the request id identifies the failure in the logs.',
};
