/**
 * Reads the configuration keys the control plane writes (src/config/kv-keys.ts) and
 * validates what it finds. Every outcome is a value: a thrown KV call, an absent key and
 * a malformed value each become a ConfigFailure the cache can log and outlive.
 */
import {
  type CompiledDeployment,
  type EnvironmentPointer,
  EnvironmentPointerSchema,
  HostRecordSchema,
  READABLE_FORMATS,
} from '../config/compiled.ts';
import { kvKeys } from '../config/kv-keys.ts';
import { verifyDeployment } from './blob.ts';
import { corrupt, failed, type Loaded, loaded, validated } from './failure.ts';

/** The part of a KV namespace binding the data plane uses. */
export interface ConfigStore {
  get(key: string, type: 'text'): Promise<string | null>;
}

async function readJson(kv: ConfigStore, key: string): Promise<Loaded<unknown>> {
  let text: string | null;
  try {
    text = await kv.get(key, 'text');
  } catch (error) {
    return failed({ reason: 'kv-unavailable', key, error: String(error) });
  }
  if (text === null) return failed({ reason: 'missing', key });
  try {
    return loaded(JSON.parse(text));
  } catch {
    return corrupt(key, 'is not JSON');
  }
}

/**
 * The environment serving `hostname`: its host record, else the default environment. A
 * preview host (`<slug>.<previewHostSuffix>`) without a record has no environment, so
 * null: its preview was deleted, or never existed, and production must not answer for it.
 */
export async function readEnvironment(
  kv: ConfigStore,
  hostname: string,
  defaultEnvironment: string,
  previewHostSuffix: string | undefined,
): Promise<Loaded<string | null>> {
  const key = kvKeys.host(hostname);
  const json = await readJson(kv, key);
  if (!json.ok) {
    if (json.failure.reason !== 'missing') return json;
    return loaded(
      previewHostSuffix && hostname.endsWith(`.${previewHostSuffix}`) ? null : defaultEnvironment,
    );
  }
  const record = validated(HostRecordSchema, json.value, key);
  return record.ok ? loaded(record.value.environment) : record;
}

export async function readPointer(kv: ConfigStore, environment: string): Promise<Loaded<EnvironmentPointer>> {
  const key = kvKeys.environmentPointer(environment);
  const json = await readJson(kv, key);
  if (!json.ok) return json;
  const pointer = validated(EnvironmentPointerSchema, json.value, key);
  if (pointer.ok && !READABLE_FORMATS.includes(pointer.value.format)) {
    return corrupt(key, `points at format ${pointer.value.format}, which this data plane cannot read`);
  }
  return pointer;
}

export async function readDeployment(
  kv: ConfigStore,
  deploymentId: string,
): Promise<Loaded<CompiledDeployment>> {
  const key = kvKeys.deployment(deploymentId);
  const json = await readJson(kv, key);
  if (!json.ok) return json;
  return verifyDeployment(json.value, key, deploymentId);
}
