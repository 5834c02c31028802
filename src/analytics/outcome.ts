/**
 * How a request ended, for its analytics event: the outcome, the error class and the
 * policy that answered, derived from what the pipeline already knows (the problem the
 * gateway answered itself, the policy outcomes run-route records, the upstream call)
 * and never from reading a body.
 */
import type { Outcome } from '../config/analytics-event.ts';
import type { GatewayProblem } from '../http/problems.ts';
import type { UpstreamCall } from '../http/upstream-call.ts';
import type { PolicyOutcome } from '../pipeline/run-route.ts';

export interface Ending {
  readonly outcome: Outcome;
  /** The slug of the problem the gateway answered itself. */
  readonly errorClass: string | null;
  /** The enforcing policy that answered instead of passing the request on. */
  readonly policy: string | null;
}

export interface EndingFacts {
  readonly status: number;
  readonly problem?: GatewayProblem['kind'];
  readonly outcomes: readonly PolicyOutcome[];
  readonly upstream?: UpstreamCall;
}

/** Every gateway problem's kind is also its problem slug (src/http/problems.ts). */
const PROBLEM_OUTCOMES: Readonly<Record<GatewayProblem['kind'], Outcome>> = {
  'invalid-path': 'invalid-request',
  'no-route': 'no-route',
  'method-not-allowed': 'no-route',
  'unknown-host': 'no-route',
  'no-deployment': 'error',
  'upstream-timeout': 'upstream-error',
  'upstream-unreachable': 'upstream-error',
  'internal-error': 'error',
};

export function endingOf(facts: EndingFacts): Ending {
  const problem = facts.problem ?? facts.upstream?.failure;
  if (problem) return { outcome: PROBLEM_OUTCOMES[problem], errorClass: problem, policy: null };
  const refusal = facts.outcomes.find(
    (outcome) => outcome.mode === 'enforce' && outcome.result === 'respond',
  );
  if (refusal) return { outcome: refusalOutcome(facts.status), errorClass: null, policy: refusal.policy };
  const upstreamFailed = facts.upstream !== undefined && facts.status >= 500;
  return { outcome: upstreamFailed ? 'upstream-error' : 'ok', errorClass: null, policy: null };
}

function refusalOutcome(status: number): Outcome {
  if (status === 401 || status === 403) return 'auth-rejected';
  return status === 429 ? 'rate-limited' : 'policy-rejected';
}

/** Report-mode policies that would have answered instead of passing the request on. */
export function reportedRefusals(outcomes: readonly PolicyOutcome[]): string[] {
  const names: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.mode === 'report' && outcome.result === 'respond') names.push(outcome.policy);
  }
  return names;
}
