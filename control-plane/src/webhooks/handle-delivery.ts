/**
 * A provider's webhook endpoint: verify the delivery (verify-delivery.ts), claim its id and
 * payload digest so that it is acted on once, apply the push (apply-push.ts) and answer
 * with the outcome (outcome-answers.ts). The push is applied within the request, so the
 * answer says what happened; it is also handed to `waitUntil`, so that a provider hanging
 * up after its own timeout (10 s for GitHub and GitLab) does not cut a deploy short. When a
 * redelivery may succeed where this one could not, the claim is released again.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../api/context.ts';
import { problem } from '../api/problems.ts';
import { claimDelivery, releaseDelivery } from '../store/webhook-deliveries.ts';
import { applyPush, type PushOutcome } from './apply-push.ts';
import { outcomeAnswer } from './outcome-answers.ts';
import type { Provider } from './provider.ts';
import { refusalProblem } from './refusal-problems.ts';
import { sha256Hex } from './signatures.ts';
import { verifyDelivery } from './verify-delivery.ts';
import { workerSecret } from './worker-secret.ts';

export function webhookHandler(provider: Provider) {
  return async function handleDelivery(c: Context<AppEnv>): Promise<Response> {
    const { DB: db, SECRETS_KEY: secretsKey } = c.env;
    const deploy = c.get('deploy');
    const body = new Uint8Array(await c.req.arrayBuffer());
    const headers = c.req.raw.headers;
    const verified = await verifyDelivery({ provider, headers, body, db, secretsKey, now: Date.now() });
    if (!verified.ok) {
      if (verified.error.kind === 'secret-unavailable')
        deploy.log(`webhook secret: ${verified.error.reason}`);
      return problem(c, refusalProblem(verified.error));
    }
    if (verified.value.kind === 'ignored') {
      const { event } = verified.value;
      const detail = `Only ${provider.pushEvent} events deploy; this one was not acted on.`;
      return c.json({ outcome: 'ignored', reason: 'not-a-push', event, detail }, 202);
    }

    const { registration, delivery, push } = verified.value;
    const claim = {
      provider: provider.name,
      deliveryId: delivery.id,
      payloadSha256: await sha256Hex(body),
      repositoryId: registration.id,
      receivedAt: new Date().toISOString(),
    };
    if (!(await claimDelivery(db, claim))) {
      return problem(c, refusalProblem({ kind: 'replayed', deliveryId: delivery.id }));
    }
    const release = () => releaseDelivery(db, provider.name, delivery.id);
    const run = {
      deploy,
      provider,
      registration,
      apiToken: workerSecret(c.env, registration.apiTokenSecretName),
      actor: `webhook:${registration.id}`,
    };
    const applying = applyPush(run, push);
    keepAlive(c, applying);
    let outcome: PushOutcome;
    try {
      outcome = await applying;
    } catch (error) {
      await release().catch((releaseError) => deploy.log('releasing a webhook delivery', releaseError));
      throw error;
    }

    const answer = outcomeAnswer(outcome);
    const about = { delivery: delivery.id, repository: registration.repository };
    if (answer.kind === 'accepted') return c.json({ ...about, ...answer.body }, 202);
    if (answer.retryable) await release();
    return problem(c, { ...answer.spec, extensions: { ...about, ...answer.spec.extensions } });
  };
}

/** Keeps the invocation alive until `work` settles; a caller without an execution context has nothing to keep. */
function keepAlive(c: Context<AppEnv>, work: Promise<unknown>): void {
  let executionCtx: Context<AppEnv>['executionCtx'];
  try {
    executionCtx = c.executionCtx;
  } catch {
    return;
  }
  executionCtx.waitUntil(work.catch(() => {}));
}
