/** The dashboard's own refusals, as problems so problemPage tells them like the API's. */
import type { ProblemSpec } from '../api/problems.ts';

export function invalidForm(detail: string): ProblemSpec {
  return { slug: 'invalid-request', status: 400, title: 'Invalid form', detail };
}
