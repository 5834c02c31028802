/**
 * Waits for an environment's lease: retries the atomic take with a short, growing,
 * jittered backoff until it succeeds or `leaseWaitMs` has passed. `withLease` runs a task
 * while holding it.
 */
import type { EnvironmentName } from '../../../src/config/ids.ts';
import { err, type Result } from '../../../src/config/result.ts';
import { releaseLease, tryTakeLease } from '../store/leases.ts';
import type { DeployContext } from './context.ts';

/** Far longer than a publish takes; only reached when a holder died without releasing. */
export const LEASE_TTL_MS = 60_000;
const FIRST_DELAY_MS = 10;
const MAX_DELAY_MS = 250;

export async function acquireLease(
  ctx: DeployContext,
  environment: EnvironmentName,
  holder: string,
): Promise<boolean> {
  const deadline = Date.now() + ctx.leaseWaitMs;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    const now = Date.now();
    if (await tryTakeLease(ctx.db, { environment, holder, now, ttlMs: LEASE_TTL_MS })) return true;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    await sleep(Math.min(remaining, delay * (0.5 + Math.random())));
  }
}

/**
 * Runs `task` as `holder` of the environment's lease, or fails with deploy-in-progress when
 * the lease does not come in time. A task that succeeds released the lease in its D1
 * commit; after one that fails or throws, the lease is released here.
 */
export async function withLease<T, E>(
  ctx: DeployContext,
  environment: EnvironmentName,
  holder: string,
  task: () => Promise<Result<T, E>>,
): Promise<Result<T, E | { readonly kind: 'deploy-in-progress' }>> {
  if (!(await acquireLease(ctx, environment, holder))) return err({ kind: 'deploy-in-progress' });
  const outcome = await task().catch(async (error: unknown) => {
    await releaseLease(ctx.db, environment, holder).catch((releaseError) =>
      ctx.log('releasing lease', releaseError),
    );
    throw error;
  });
  if (!outcome.ok) await releaseLease(ctx.db, environment, holder);
  return outcome;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
