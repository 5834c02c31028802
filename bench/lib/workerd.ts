/**
 * Runs workers under `workerd serve`, the runtime itself, with no wrangler or Miniflare in
 * front of each request. Writes a Cap'n Proto text config (schema: workerd.capnp in the
 * workerd package) into a working folder, starts the workerd binary on it and waits until
 * it answers. The helpers below build the few config shapes the benchmark needs.
 */
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startChild, waitUntilServing } from './children.ts';

/** The native binary (the package's main export is its path; `.bin/workerd` may be a shim). */
function workerdBinary(): string {
  const { default: binary } = createRequire(import.meta.url)('workerd') as { default: string };
  return binary;
}

/** A capnp text literal; refuses anything but printable ASCII so escaping stays trivial. */
export function capnpText(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`cannot put ${JSON.stringify(value)} in a capnp config`);
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export interface Compatibility {
  readonly compatibilityDate: string;
  readonly compatibilityFlags: readonly string[];
}

export interface WorkerSpec extends Compatibility {
  /** The first module is the main module. Paths are relative to the config's folder. */
  readonly modules: readonly string[];
  readonly bindings: readonly string[];
  /** Service that global fetch() goes to; workerd's default "internet" refuses 127.0.0.1. */
  readonly globalOutbound?: string;
  /** Durable Object classes the worker exports, each with its own SQLite-backed namespace. */
  readonly durableObjects?: readonly DurableObjectClass[];
}

export interface DurableObjectClass {
  readonly className: string;
  /** Stable, unique per namespace: object ids are derived from it. */
  readonly uniqueKey: string;
}

export const esModule = (file: string) => `(name = ${capnpText(file)}, esModule = embed ${capnpText(file)})`;
export const wasmModule = (file: string) => `(name = ${capnpText(file)}, wasm = embed ${capnpText(file)})`;
export const textBinding = (name: string, value: string) =>
  `(name = ${capnpText(name)}, text = ${capnpText(value)})`;
export const jsonBinding = (name: string, value: unknown) =>
  `(name = ${capnpText(name)}, json = ${capnpText(JSON.stringify(value))})`;
export const jsonFileBinding = (name: string, file: string) =>
  `(name = ${capnpText(name)}, json = embed ${capnpText(file)})`;
export const kvBinding = (name: string, service: string) =>
  `(name = ${capnpText(name)}, kvNamespace = ${capnpText(service)})`;
export const queueBinding = (name: string, service: string) =>
  `(name = ${capnpText(name)}, queue = ${capnpText(service)})`;
/** A namespace of a Durable Object class the same worker exports. */
export const durableObjectBinding = (name: string, className: string) =>
  `(name = ${capnpText(name)}, durableObjectNamespace = ${capnpText(className)})`;

export function workerService(name: string, worker: WorkerSpec): string {
  const fields = [
    `modules = [${worker.modules.join(', ')}]`,
    `compatibilityDate = ${capnpText(worker.compatibilityDate)}`,
    `compatibilityFlags = [${worker.compatibilityFlags.map(capnpText).join(', ')}]`,
    `bindings = [${worker.bindings.join(', ')}]`,
    ...(worker.globalOutbound ? [`globalOutbound = ${capnpText(worker.globalOutbound)}`] : []),
    ...durableObjectFields(worker.durableObjects ?? []),
  ];
  return `(name = ${capnpText(name)}, worker = (\n      ${fields.join(',\n      ')}\n    ))`;
}

/** The disk service a worker's Durable Objects keep their SQLite storage in (see diskService). */
export const DURABLE_OBJECT_STORAGE = 'durable-object-storage';

/** SQLite-backed objects need disk storage (workerd's in-memory storage has no SQL API). */
function durableObjectFields(classes: readonly DurableObjectClass[]): string[] {
  if (classes.length === 0) return [];
  const namespaces = classes.map(
    ({ className, uniqueKey }) =>
      `(className = ${capnpText(className)}, uniqueKey = ${capnpText(uniqueKey)}, enableSql = true)`,
  );
  return [
    `durableObjectNamespaces = [${namespaces.join(', ')}]`,
    `durableObjectStorage = (localDisk = ${capnpText(DURABLE_OBJECT_STORAGE)})`,
  ];
}

/** A writable directory service, e.g. for Durable Object storage; a fresh directory per run. */
export const diskService = (name: string, path: string) =>
  `(name = ${capnpText(name)}, disk = (path = ${capnpText(path)}, writable = true))`;

/** A network service that may reach loopback addresses (the demo upstream, 127.0.0.1). */
export const localNetworkService = (name: string) =>
  `(name = ${capnpText(name)}, network = (allow = ["public", "local"]))`;

export const httpSocket = (name: string, port: number, service: string) =>
  `(name = ${capnpText(name)}, address = "127.0.0.1:${port}", http = (), service = ${capnpText(service)})`;

export function capnpConfig(services: readonly string[], sockets: readonly string[]): string {
  return `# Generated by bench/ for one benchmark run.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    ${services.join(',\n    ')}
  ],
  sockets = [
    ${sockets.join(',\n    ')}
  ],
);
`;
}

/** Writes `config` to `<dir>/config.capnp`, runs workerd on it, waits for `readyUrl`. */
export async function serveWorkerd(
  dir: string,
  config: string,
  name: string,
  readyUrl: string,
): Promise<void> {
  await writeFile(join(dir, 'config.capnp'), config);
  const child = startChild(workerdBinary(), ['serve', 'config.capnp', 'config'], dir);
  await waitUntilServing(child, readyUrl, name);
}
