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
 * Last-known-good: a refresh that fails (KV error, no pointer, missing or corrupt blob)
 * is logged and changes nothing, and is tried again after the next interval. Failures
 * are remembered for that interval too, so a host with nothing to serve does not turn
 * every request into KV reads.
 */
import { kvKeys } from '../config/kv-keys.ts';
import type { Logger } from '../policies/contract.ts';
import { type Loaded, loaded } from './failure.ts';
import { type ConfigStore, readDeployment, readEnvironment, readPointer } from './kv-source.ts';
import { type LoadedDeployment, loadDeployment } from './load.ts';

export interface DeploymentCacheOptions {
  readonly kv: ConfigStore;
  readonly defaultEnvironment: string;
  readonly pointerTtlMs: number;
  readonly now: () => number;
  readonly log: Logger;
}

export interface DeploymentCache {
  /** The deployment serving `hostname`, or undefined while there is none to serve. */
  resolve(
    hostname: string,
    waitUntil: (promise: Promise<unknown>) => void,
  ): Promise<LoadedDeployment | undefined>;
}

/** Bounds memory when requests arrive for many hostnames; the oldest entry goes first. */
const MAX_HOSTS = 1_000;
/** Enough for the live deployment, the one before it and a couple being rolled between. */
const MAX_DEPLOYMENTS = 4;

interface HostEntry {
  deployment: LoadedDeployment | undefined;
  checkedAt: number;
  refreshing: Promise<void> | undefined;
}

export function createDeploymentCache(options: DeploymentCacheOptions): DeploymentCache {
  const { kv, defaultEnvironment, pointerTtlMs, now, log } = options;
  const hosts = new Map<string, HostEntry>();
  const deployments = new Map<string, Promise<Loaded<LoadedDeployment>>>();

  function deploymentById(id: string): Promise<Loaded<LoadedDeployment>> {
    const pending =
      deployments.get(id) ??
      readDeployment(kv, id).then((blob) =>
        blob.ok ? loadDeployment(blob.value, kvKeys.deployment(id)) : blob,
      );
    remember(deployments, id, pending, MAX_DEPLOYMENTS);
    return pending;
  }

  async function lookUp(
    hostname: string,
    current: LoadedDeployment | undefined,
  ): Promise<Loaded<LoadedDeployment>> {
    const environment = await readEnvironment(kv, hostname, defaultEnvironment);
    if (!environment.ok) return environment;
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
    const serving = entry.deployment?.id ?? null;
    try {
      const next = await lookUp(hostname, entry.deployment);
      if (!next.ok) {
        log.warn('configuration refresh failed; keeping last-known-good', {
          host: hostname,
          serving,
          ...next.failure,
        });
      } else if (next.value !== entry.deployment) {
        log.info('serving deployment', { host: hostname, deploymentId: next.value.id, previous: serving });
        entry.deployment = next.value;
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
        entry = { deployment: undefined, checkedAt: Number.NEGATIVE_INFINITY, refreshing: undefined };
        remember(hosts, hostname, entry, MAX_HOSTS);
      }
      if (!entry.refreshing && now() - entry.checkedAt >= pointerTtlMs) {
        const started = entry;
        started.refreshing = refresh(hostname, started).finally(() => {
          started.refreshing = undefined;
        });
        waitUntil(started.refreshing);
      }
      if (!entry.deployment && entry.refreshing) await entry.refreshing;
      return entry.deployment;
    },
  };
}

/** Sets `key` as the most recent entry, evicting the least recent beyond `limit`. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as K);
}
