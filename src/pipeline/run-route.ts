/**
 * Runs one route: its inbound policies in order, the handler, its outbound policies in
 * order. An inbound policy that returns a Response stops the inbound chain and replaces
 * the handler; outbound policies still run on that response, so response-side edits
 * (headers, CORS, ...) apply to rejections too.
 *
 * Policies edit the message they are handed in place (src/policies/contract.ts): the
 * request's headers are mutable (handleRequest gives a route with inbound policies its
 * own copy), and so are those of the handler's response.
 *
 * A policy in `report` mode runs on a copy of the message and its result is discarded:
 * the pipeline records what it would have done (DESIGN.md: the pipeline, not the policy,
 * records the outcome) and passes the original on unchanged. Errors it throws are
 * recorded too, since report mode must never change traffic.
 */
import type { PolicyMode } from '../config/compiled.ts';
import type { PolicyPhase } from '../config/policy-catalog.ts';
import type { PolicyContext } from '../policies/contract.ts';
import type { LoadedRoute } from './types.ts';

export interface PolicyOutcome {
  readonly policy: string;
  readonly phase: PolicyPhase;
  readonly mode: PolicyMode;
  /** `respond`: an inbound policy answered instead of passing the request on. */
  readonly result: 'continue' | 'respond' | 'error';
  /** Status of the response the policy made or passed on. */
  readonly status?: number;
}

export interface PipelineResult {
  readonly response: Response;
  /** Report-mode runs and enforcing rejections, in order; kept for analytics. */
  readonly outcomes: readonly PolicyOutcome[];
}

export async function runRoute(
  route: LoadedRoute,
  request: Request,
  ctx: PolicyContext,
): Promise<PipelineResult> {
  const outcomes: PolicyOutcome[] = [];
  let current = request;
  let response: Response | undefined;
  for (const step of route.inbound) {
    if (step.mode === 'report') {
      outcomes.push(await report('inbound', step.name, step.run, current, ctx));
      continue;
    }
    const result = await step.run(current, ctx);
    if (result instanceof Response) {
      outcomes.push({
        policy: step.name,
        phase: 'inbound',
        mode: 'enforce',
        result: 'respond',
        status: result.status,
      });
      response = result;
      break;
    }
    current = result;
  }
  response ??= await route.handler(current, ctx);
  for (const step of route.outbound) {
    if (step.mode === 'report') outcomes.push(await report('outbound', step.name, step.run, response, ctx));
    else response = await step.run(response, ctx);
  }
  return { response, outcomes };
}

async function report<M extends Request | Response>(
  phase: PolicyPhase,
  policy: string,
  run: (message: M, ctx: PolicyContext) => Promise<Request | Response>,
  message: M,
  ctx: PolicyContext,
): Promise<PolicyOutcome> {
  const copy = message.clone() as M;
  let outcome: PolicyOutcome;
  try {
    const result = await run(copy, ctx);
    const responded = phase === 'inbound' && result instanceof Response;
    outcome = {
      policy,
      phase,
      mode: 'report',
      result: responded ? 'respond' : 'continue',
      ...(result instanceof Response ? { status: result.status } : {}),
    };
    discardBody(result);
  } catch (error) {
    outcome = { policy, phase, mode: 'report', result: 'error' };
    ctx.log.warn('report-mode policy threw', { policy, phase, error: String(error) });
  }
  discardBody(copy);
  ctx.log.info('report-mode policy outcome', { ...outcome });
  return outcome;
}

/**
 * The copy's body is one branch of a tee; cancelling the branch nobody will read keeps
 * the runtime from buffering the whole body for it while the original streams on.
 */
function discardBody(message: Request | Response): void {
  const body = message.body;
  if (body && !body.locked) body.cancel().catch(() => {});
}
