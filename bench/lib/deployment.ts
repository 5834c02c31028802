/**
 * The compiled deployment the gateway serves, and the KV entries that carry it. Compiles
 * bench-config.ts's edgeway.yaml with the real compiler and writes the blob and the
 * environment's keys with the control plane's own writers (control-plane/src/deploy/
 * config-kv.ts) into an in-memory map, so the gateway reads exactly what a deploy writes.
 * The config claims no hosts, so there is no `host/` key and DEFAULT_ENVIRONMENT serves.
 */
import { compile, formatCompileError } from '../../control-plane/src/compiler/index.ts';
import { type ConfigKv, pointKeysAt, writeBlob } from '../../control-plane/src/deploy/config-kv.ts';
import { newDeploymentId } from '../../control-plane/src/ids.ts';
import { COMPILED_FORMAT, type CompiledDeployment } from '../../src/config/compiled.ts';
import { EnvironmentNameSchema } from '../../src/config/ids.ts';
import { benchConfigYaml, ENVIRONMENT } from './bench-config.ts';

export interface BenchDeployment {
  readonly deployment: CompiledDeployment;
  /** KV key -> value, as the control plane writes them. */
  readonly kvEntries: Readonly<Record<string, string>>;
}

export async function buildDeployment(upstreamUrl: string): Promise<BenchDeployment> {
  const environment = EnvironmentNameSchema.parse(ENVIRONMENT);
  const compiled = await compile({ files: { 'edgeway.yaml': benchConfigYaml(upstreamUrl) }, environment });
  if (!compiled.ok) {
    throw new Error(
      `the compiler rejected the bench config:\n${compiled.errors.map(formatCompileError).join('\n')}`,
    );
  }
  const deployment: CompiledDeployment = {
    format: COMPILED_FORMAT,
    deploymentId: newDeploymentId(),
    environment,
    hash: compiled.hash,
    config: compiled.config,
  };
  const kvEntries: Record<string, string> = {};
  const kv: ConfigKv = {
    get: async (key) => kvEntries[key] ?? null,
    put: async (key, value) => {
      kvEntries[key] = value;
    },
    delete: async (key) => {
      delete kvEntries[key];
    },
  };
  await writeBlob(kv, deployment);
  const live = {
    deploymentId: deployment.deploymentId,
    format: COMPILED_FORMAT,
    hosts: compiled.config.hosts,
  };
  await pointKeysAt(kv, environment, live, [], new Date());
  return { deployment, kvEntries };
}
