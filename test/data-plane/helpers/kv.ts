/**
 * Writing configuration into the real KV binding the way the control plane does (blob
 * first, pointer second), and a view of that binding a test can switch to failing.
 */
import type { CompiledDeployment } from '../../../src/config/compiled.ts';
import { kvKeys } from '../../../src/config/kv-keys.ts';
import type { ConfigStore } from '../../../src/deployment/kv-source.ts';

export async function writeBlob(kv: KVNamespace, deployment: CompiledDeployment): Promise<void> {
  await kv.put(kvKeys.deployment(deployment.deploymentId), JSON.stringify(deployment));
}

export async function pointTo(
  kv: KVNamespace,
  environment: string,
  deploymentId: string,
  format = 1,
): Promise<void> {
  const pointer = { deploymentId, format, updatedAt: new Date().toISOString() };
  await kv.put(kvKeys.environmentPointer(environment), JSON.stringify(pointer));
}

export async function publish(kv: KVNamespace, deployment: CompiledDeployment): Promise<void> {
  await writeBlob(kv, deployment);
  await pointTo(kv, deployment.environment, deployment.deploymentId, deployment.format);
}

export async function mapHost(kv: KVNamespace, hostname: string, environment: string): Promise<void> {
  await kv.put(kvKeys.host(hostname), JSON.stringify({ environment }));
}

/** The real KV binding, unless `failing` is set; counts reads and keeps the keys read. */
export class SwitchableStore implements ConfigStore {
  failing = false;
  reads = 0;
  readonly keysRead: string[] = [];
  readonly #kv: KVNamespace;

  constructor(kv: KVNamespace) {
    this.#kv = kv;
  }

  async get(key: string, type: 'text'): Promise<string | null> {
    this.reads++;
    this.keysRead.push(key);
    if (this.failing) throw new Error('KV unavailable (switched off by the test)');
    return this.#kv.get(key, type);
  }
}
