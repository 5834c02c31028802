/**
 * The control plane's view of the CONFIG namespace: the three kinds of key it writes
 * (src/config/kv-keys.ts) and the one it reads back. ConfigKv is the narrow slice of
 * KVNamespace used here, so a test can wrap the real binding and make a chosen write fail.
 */
import { canonicalJson, contentHash } from '../../../src/config/canonical.ts';
import {
  type CompiledDeployment,
  CompiledDeploymentSchema,
  type EnvironmentPointer,
  type HostRecord,
} from '../../../src/config/compiled.ts';
import type { DeploymentId, EnvironmentName } from '../../../src/config/ids.ts';
import { kvKeys } from '../../../src/config/kv-keys.ts';

export interface ConfigKv {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export async function writeBlob(kv: ConfigKv, blob: CompiledDeployment): Promise<void> {
  await kv.put(kvKeys.deployment(blob.deploymentId), canonicalJson(blob));
}

export async function deleteBlob(kv: ConfigKv, deploymentId: string): Promise<void> {
  await kv.delete(kvKeys.deployment(deploymentId));
}

export type BlobRead =
  | { readonly kind: 'found'; readonly blob: CompiledDeployment }
  | { readonly kind: 'missing' }
  | { readonly kind: 'corrupt' };

/** A blob is whole when it matches the schema and its config still has the hash it claims. */
export async function readBlob(kv: ConfigKv, deploymentId: string): Promise<BlobRead> {
  const text = await kv.get(kvKeys.deployment(deploymentId));
  if (text === null) return { kind: 'missing' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { kind: 'corrupt' };
  }
  const parsed = CompiledDeploymentSchema.safeParse(raw);
  if (!parsed.success || parsed.data.deploymentId !== deploymentId) return { kind: 'corrupt' };
  const hash = await contentHash(canonicalJson((raw as { config: unknown }).config));
  return hash === parsed.data.hash ? { kind: 'found', blob: parsed.data } : { kind: 'corrupt' };
}

/** What an environment's keys should say: the pointer's target (none removes it) and its hosts. */
export interface KeyState {
  readonly deploymentId: DeploymentId | null;
  readonly format: number | null;
  readonly hosts: readonly string[];
}

/**
 * Points the environment's keys at `target`: the pointer first, then a host record for
 * each host it claims, then removal of hosts in `replaced` it no longer claims. Putting
 * the previous state back after a failure is the same call with the arguments swapped.
 */
export async function pointKeysAt(
  kv: ConfigKv,
  environment: EnvironmentName,
  target: KeyState,
  replaced: readonly string[],
  now: Date,
): Promise<void> {
  const pointerKey = kvKeys.environmentPointer(environment);
  if (target.deploymentId === null || target.format === null) {
    await kv.delete(pointerKey);
  } else {
    const pointer: EnvironmentPointer = {
      deploymentId: target.deploymentId,
      format: target.format,
      updatedAt: now.toISOString(),
    };
    await kv.put(pointerKey, JSON.stringify(pointer));
  }
  const record: HostRecord = { environment };
  await Promise.all(target.hosts.map((host) => kv.put(kvKeys.host(host), JSON.stringify(record))));
  const dropped = replaced.filter((host) => !target.hosts.includes(host));
  await Promise.all(dropped.map((host) => kv.delete(kvKeys.host(host))));
}
