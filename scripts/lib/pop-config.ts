/**
 * Another PoP for the local stack: a second `wrangler dev` of the data plane, standing
 * for another Cloudflare location. Written from wrangler.toml itself (so it never drifts
 * from it) as a JSON config that differs in three ways: its own worker name, Durable
 * Object bindings that point at the first data plane's objects (`script_name`), reached
 * through the local dev registry, and no migrations, since it defines no objects. Its KV
 * is shared through the stack's persist folder. On Cloudflare every location simply binds
 * the same Durable Object namespace: this is how one zone for all PoPs looks locally.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { experimental_readRawConfig } from 'wrangler';

interface DurableObjectBinding {
  readonly name: string;
  readonly class_name: string;
  readonly script_name?: string;
}

/** Writes the config of PoP number `index` (2, 3, ...) into `dir` and returns its path. */
export function writePopConfig(root: string, dir: string, index: number): string {
  const { rawConfig } = experimental_readRawConfig({ config: join(root, 'wrangler.toml') });
  const primary = rawConfig.name ?? 'edgeway';
  const bindings: readonly DurableObjectBinding[] = rawConfig.durable_objects?.bindings ?? [];
  const config = {
    ...rawConfig,
    name: `${primary}-pop-${index}`,
    main: resolve(root, rawConfig.main ?? 'src/index.ts'),
    durable_objects: { bindings: bindings.map((binding) => ({ ...binding, script_name: primary })) },
    migrations: [],
  };
  const path = join(dir, `pop-${index}.wrangler.json`);
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}
