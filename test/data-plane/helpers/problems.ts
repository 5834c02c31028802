/** Assertions shared by tests that expect a gateway-made problem response. */
import { expect } from 'vitest';
import { PROBLEM_CONTENT_TYPE, problemType } from '../../../src/config/problem.ts';

export async function expectProblem(
  response: Response,
  status: number,
  slug: string,
): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    type: problemType(slug),
    status,
    requestId: response.headers.get('x-request-id'),
  });
  expect(body.title).toEqual(expect.any(String));
  expect(body.detail).toEqual(expect.any(String));
  return body;
}
