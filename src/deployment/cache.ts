/**
 * The isolate's configuration cache: host -> environment -> pointer -> loaded deployment.
 *
 * Per host it keeps the deployment being served and when the pointer was last checked.
 * Once `pointerTtlMs` has passed, a request still gets the cached deployment at once and
 * starts one background refresh (stale-while-revalidate; one refresh per host at a time,
 * kept alive with waitUntil). A host with nothing to serve yet waits for its refresh.
 * Loaded deployments are immutable, so they are also kept by id in a small LRU: a
 * rollback, or a second host of the same environment, does not reload the blob.
 *
 * A preview host whose host record is gone is definitively unserved: that replaces the
 * cached deployment, since its environment was deleted on purpose.
 *
 * Last-known-good: a refresh that fails (KV error, no pointer, missing or corrupt blob)
 * is logged and changes nothing, and is tried again after the next interval. Failures
 * are remembered for that interval too, so a host with nothing to serve does not turn
 * every request into KV reads.
 */
import { kvKeys } from '../config/kv-keys.ts';
import type { Logger } from '../policies/contract.ts';
import { type Loaded, loaded } from './failure.ts';
import { type ConfigStore, readDeployment, readEnvironment, readPointer } from './kv-source.ts';
import { type LoadedDeployment, loadDeployment, type SharedPolicyDeps } from './load.ts';
import { revealSecrets, secretsKeyLoader } from './secrets.ts';

export interface DeploymentCacheOptions {
  readonly kv: ConfigStore;
  readonly defaultEnvironment: string;
  /** Hosts under this domain are previews: without a host record, nothing serves them. */
  readonly previewHostSuffix?: string;
  readonly pointerTtlMs: number;
  /** SECRETS_KEY, which opens the secrets a deployment carries. */
  readonly secretsKey?: string;
  /** Given to every policy of every deployment loaded. */
  readonly policyDeps: SharedPolicyDeps;
  readonly now: () => number;
  readonly log: Logger;
}

/**
 * What serves a host: a deployment; nothing, definitively (a preview host whose
 * environment is gone); or nothing yet (nothing deployed, or KV down on a cold isolate).
 */
export type HostResolution =
  | { readonly kind: 'serving'; readonly deployment: LoadedDeployment }
  | { readonly kind: 'unserved' }
  | { readonly kind: 'unavailable' };

export interface DeploymentCache {
  resolve(hostname: string, waitUntil: (promise: Promise<unknown>) => void): Promise<HostResolution>;
}

/** Bounds memory when requests arrive for many hostnames; the oldest entry goes first. */
const MAX_HOSTS = 1_000;
/** Enough for the live deployment, the one before it and a couple being rolled between. */
const MAX_DEPLOYMENTS = 4;

const UNSERVED: HostResolution = { kind: 'unserved' };
const UNAVAILABLE: HostResolution = { kind: 'unavailable' };

interface HostEntry {
  /** Kept as one object so a request reads it without allocating. */
  resolution: HostResolution;
  checkedAt: number;
  refreshing: Promise<void> | undefined;
}

export function createDeploymentCache(options: DeploymentCacheOptions): DeploymentCache {
  const { kv, defaultEnvironment, previewHostSuffix, pointerTtlMs, now, log } = options;
  const hosts = new Map<string, HostEntry>();
  const deployments = new Map<string, Promise<Loaded<LoadedDeployment>>>();
  const secretsKey = secretsKeyLoader(options.secretsKey);

  async function readAndLoad(id: string): Promise<Loaded<LoadedDeployment>> {
    const key = kvKeys.deployment(id);
    const blob = await readDeployment(kv, id);
    if (!blob.ok) return blob;
    const revealed = await revealSecrets(blob.value, key, secretsKey);
    return revealed.ok ? loadDeployment(revealed.value, key, options.policyDeps) : revealed;
  }

  function deploymentById(id: string): Promise<Loaded<LoadedDeployment>> {
    const pending = deployments.get(id) ?? readAndLoad(id);
    remember(deployments, id, pending, MAX_DEPLOYMENTS);
    return pending;
  }

  async function lookUp(
    hostname: string,
    current: LoadedDeployment | undefined,
  ): Promise<Loaded<LoadedDeployment | null>> {
    const environment = await readEnvironment(kv, hostname, defaultEnvironment, previewHostSuffix);
    if (!environment.ok) return environment;
    if (environment.value === null) return loaded(null);
    const pointer = await readPointer(kv, environment.value);
    if (!pointer.ok) return pointer;
    const { deploymentId } = pointer.value;
    if (current?.id === deploymentId) return loaded(current);
    const deployment = await deploymentById(deploymentId);
    // Only verified deployments stay cached; a missing or corrupt blob is read again next time.
    if (!deployment.ok) deployments.delete(deploymentId);
    return deployment;
  }

  async function refresh(hostname: string, entry: HostEntry): Promise<void> {
    const current = entry.resolution.kind === 'serving' ? entry.resolution.deployment : undefined;
    const serving = current?.id ?? null;
    try {
      const next = await lookUp(hostname, current);
      if (!next.ok) {
        log.warn('configuration refresh failed; keeping last-known-good', {
          host: hostname,
          serving,
          ...next.failure,
        });
      } else if (next.value === null) {
        if (entry.resolution !== UNSERVED)
          log.info('no environment serves this host', { host: hostname, serving });
        entry.resolution = UNSERVED;
      } else if (next.value !== current) {
        log.info('serving deployment', { host: hostname, deploymentId: next.value.id, previous: serving });
        entry.resolution = { kind: 'serving', deployment: next.value };
      }
    } catch (error) {
      log.error('configuration refresh crashed; keeping last-known-good', {
        host: hostname,
        serving,
        error: String(error),
      });
    }
    entry.checkedAt = now();
  }

  return {
    async resolve(hostname, waitUntil) {
      let entry = hosts.get(hostname);
      if (!entry) {
        entry = { resolution: UNAVAILABLE, checkedAt: Number.NEGATIVE_INFINITY, refreshing: undefined };
        remember(hosts, hostname, entry, MAX_HOSTS);
      }
      if (!entry.refreshing && now() - entry.checkedAt >= pointerTtlMs) {
        const started = entry;
        started.refreshing = refresh(hostname, started).finally(() => {
          started.refreshing = undefined;
        });
        waitUntil(started.refreshing);
      }
      if (entry.resolution === UNAVAILABLE && entry.refreshing) await entry.refreshing;
      return entry.resolution;
    },
  };
}

/** Sets `key` as the most recent entry, evicting the least recent beyond `limit`. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as K);
}
