/**
 * How the gateway names a request's ending for analytics: gateway problems by their
 * slug, enforcing refusals by their status (auth, rate limit, anything else) and the
 * policy that answered, an upstream's 5xx as an upstream error, a mock's as served.
 */
import { describe, expect, it } from 'vitest';
import type { PolicyOutcome } from '../pipeline/run-route.ts';
import { endingOf, reportedRefusals } from './outcome.ts';

const refusal = (policy: string, status: number): PolicyOutcome => ({
  policy,
  phase: 'inbound',
  mode: 'enforce',
  result: 'respond',
  status,
});

describe('endingOf', () => {
  it('names a refusal by its status and policy', () => {
    const cases = [
      [401, 'auth-rejected'],
      [403, 'auth-rejected'],
      [429, 'rate-limited'],
      [503, 'policy-rejected'],
      [400, 'policy-rejected'],
    ] as const;
    for (const [status, outcome] of cases) {
      expect(endingOf({ status, outcomes: [refusal('guard', status)] })).toEqual({
        outcome,
        errorClass: null,
        policy: 'guard',
      });
    }
  });

  it("takes a gateway problem's slug as the error class", () => {
    expect(endingOf({ status: 400, problem: 'invalid-path', outcomes: [] })).toEqual({
      outcome: 'invalid-request',
      errorClass: 'invalid-path',
      policy: null,
    });
    expect(endingOf({ status: 500, problem: 'internal-error', outcomes: [] }).outcome).toBe('error');
    const timedOut = endingOf({
      status: 504,
      outcomes: [],
      upstream: { latencyMs: 100, failure: 'upstream-timeout' },
    });
    expect(timedOut).toEqual({ outcome: 'upstream-error', errorClass: 'upstream-timeout', policy: null });
  });

  it("counts an upstream's 5xx as an upstream error and a mock's as served", () => {
    expect(endingOf({ status: 503, outcomes: [], upstream: { latencyMs: 3 } }).outcome).toBe(
      'upstream-error',
    );
    expect(endingOf({ status: 404, outcomes: [], upstream: { latencyMs: 3 } }).outcome).toBe('ok');
    expect(endingOf({ status: 503, outcomes: [] }).outcome).toBe('ok');
  });

  it('ignores report-mode refusals, which reportedRefusals lists', () => {
    const outcomes: PolicyOutcome[] = [
      { ...refusal('limit', 429), mode: 'report' },
      { policy: 'tag', phase: 'outbound', mode: 'report', result: 'continue' },
    ];
    expect(endingOf({ status: 200, outcomes }).outcome).toBe('ok');
    expect(reportedRefusals(outcomes)).toEqual(['limit']);
  });
});
