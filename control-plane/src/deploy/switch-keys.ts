/**
 * The two steps of every change to an environment under its lease (publish, deletion):
 * change its KV keys, then commit the change in D1. If a KV write fails, or the commit
 * throws, the previous keys are put back, so KV and D1 keep agreeing on what is served.
 */
import { err, ok, type Result } from '../../../src/config/result.ts';
import type { DeployContext } from './context.ts';

export interface KeySwitch {
  /** What is being done, for logs: `publishing dep_… to staging`. */
  readonly action: string;
  readonly writeKeys: () => Promise<void>;
  /** False when the lease was no longer held, in which case D1 changed nothing. */
  readonly commit: () => Promise<boolean>;
  /** Best effort, never throws: puts the keys (and anything else taken) back. */
  readonly undo: () => Promise<void>;
}

export async function switchKeys(
  ctx: DeployContext,
  change: KeySwitch,
): Promise<Result<void, { readonly kind: 'storage-error' }>> {
  try {
    await change.writeKeys();
  } catch (error) {
    ctx.log(`${change.action}: a KV write failed`, error);
    await change.undo();
    return err({ kind: 'storage-error' });
  }

  let committed: boolean;
  try {
    committed = await change.commit();
  } catch (error) {
    await change.undo();
    throw error;
  }
  // The lease expired and was taken over: the new holder owns the keys now, so leave them.
  if (!committed) throw new Error(`${change.action}: the lease was lost before the commit`);
  return ok(undefined);
}
