/**
 * Assertions on what an auth policy answers when it refuses a request and is called
 * directly (policy-context.ts): problem+json with the context's request id and, for a
 * 401, the challenge. Through the gateway, problems.ts's expectProblem applies instead.
 */
import { expect } from 'vitest';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../../src/config/problem.ts';
import { TEST_REQUEST_ID } from './policy-context.ts';

export interface Refusal {
  readonly status: number;
  readonly slug: string;
  /** The WWW-Authenticate value a 401 carries. */
  readonly challenge?: string;
}

/** Asserts `result` is the refusal and returns the problem's detail. */
export async function expectRefusal(result: Request | Response, refusal: Refusal): Promise<string> {
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  expect(response.status).toBe(refusal.status);
  expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
  expect(response.headers.get('www-authenticate')).toBe(refusal.challenge ?? null);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    type: problemType(refusal.slug),
    status: refusal.status,
    requestId: TEST_REQUEST_ID,
  });
  expect(body.detail).toEqual(expect.any(String));
  return body.detail as string;
}

/** The request a policy passed on; fails the test when it answered instead. */
export async function expectPassed(result: Request | Response): Promise<Request> {
  if (result instanceof Response) {
    expect.fail(`expected the request to pass, got ${result.status}: ${await result.text()}`);
  }
  return result as Request;
}
