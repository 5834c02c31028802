/**
 * Target (c): the real data plane under `workerd serve`. Bundles it the way a deploy does
 * (`wrangler deploy --dry-run`), takes its compatibility settings and vars from
 * wrangler.toml, and runs it in its own workerd process next to a second worker,
 * bench/workers/kv-service.js, that backs the CONFIG KV binding with the compiled
 * deployment. Once the gateway's isolate cache is warm, KV is read only when the pointer
 * TTL runs out, so the KV worker stays off the hot path. Its Durable Objects (the
 * rate-limit zone) run in the same process, SQLite-backed in the work directory, which
 * bench/run.ts puts on tmpfs where there is one. Its Queue producer (ANALYTICS) is backed
 * by bench/workers/queue-service.js, which accepts and counts the analytics events, so
 * the measurement includes sending them.
 */
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { unstable_readConfig } from 'wrangler';
import { freePort } from '../../scripts/lib/ports.ts';
import { ENVIRONMENT } from './bench-config.ts';
import { runToCompletion } from './children.ts';
import {
  type Compatibility,
  capnpConfig,
  DURABLE_OBJECT_STORAGE,
  type DurableObjectClass,
  diskService,
  durableObjectBinding,
  esModule,
  httpSocket,
  jsonBinding,
  jsonFileBinding,
  kvBinding,
  localNetworkService,
  queueBinding,
  serveWorkerd,
  textBinding,
  wasmModule,
  workerService,
} from './workerd.ts';

export interface GatewayOptions {
  readonly root: string;
  readonly workDir: string;
  readonly kvEntries: Readonly<Record<string, string>>;
}

export interface Gateway {
  readonly origin: string;
  /** Answers `{"reads": n}`: how many KV gets the gateway has made so far. */
  readonly kvReadsUrl: string;
  /** Answers `{"messages": n}`: how many Queue messages (analytics events) it has sent. */
  readonly queueMessagesUrl: string;
}

export interface WranglerSettings {
  readonly compatibility: Compatibility;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Durable Object bindings to classes the data plane itself exports: binding name -> class. */
  readonly durableObjects: Readonly<Record<string, string>>;
  /** Queue producer bindings, all backed by the bench Queue service. */
  readonly queues: readonly string[];
}

/** A `[[durable_objects.bindings]]` entry; one without script_name is the data plane's own class. */
interface DurableObjectBinding {
  readonly name: string;
  readonly class_name: string;
  readonly script_name?: string;
}

const KV_BINDING = 'CONFIG';
/** Pinned so every run measures the same cache behaviour, whatever wrangler.toml says. */
const BENCH_VARS = { DEFAULT_ENVIRONMENT: ENVIRONMENT, POINTER_TTL_MS: '5000' };

/** The data plane's wrangler.toml, refusing bindings the benchmark cannot provide yet. */
export function readWranglerSettings(root: string): WranglerSettings {
  const config = unstable_readConfig({ config: join(root, 'wrangler.toml') });
  const names = (bindings: readonly { binding?: string; name?: string }[]) =>
    bindings.map((binding) => binding.binding ?? binding.name ?? '(unnamed)');
  const durableObjects: readonly DurableObjectBinding[] = config.durable_objects.bindings;
  const unsupported = [
    ...names(config.kv_namespaces).filter((name) => name !== KV_BINDING),
    ...names(durableObjects.filter((binding) => binding.script_name !== undefined)),
    ...names(config.d1_databases),
    ...names(config.r2_buckets),
    ...names(config.services),
    ...names(config.analytics_engine_datasets),
    ...names(config.ratelimits),
  ];
  if (unsupported.length > 0) {
    throw new Error(
      `wrangler.toml declares bindings bench/lib/gateway.ts does not provide yet: ${unsupported.join(', ')}`,
    );
  }
  if (!config.compatibility_date) throw new Error('wrangler.toml has no compatibility_date');
  return {
    compatibility: {
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
    },
    vars: { ...config.vars, ...BENCH_VARS },
    durableObjects: Object.fromEntries(
      durableObjects
        .filter((binding) => binding.script_name === undefined)
        .map((binding) => [binding.name, binding.class_name]),
    ),
    queues: names(config.queues.producers),
  };
}

export async function startGateway(options: GatewayOptions, settings: WranglerSettings): Promise<Gateway> {
  const dir = join(options.workDir, 'gateway');
  const bundleDir = join(dir, 'bundle');
  await mkdir(dir, { recursive: true });
  await runToCompletion(
    'npx',
    [
      'wrangler',
      'deploy',
      '--dry-run',
      '--outdir',
      bundleDir,
      '--config',
      join(options.root, 'wrangler.toml'),
    ],
    options.root,
  );
  await copyFile(join(import.meta.dirname, '..', 'workers', 'kv-service.js'), join(dir, 'kv-service.js'));
  await copyFile(
    join(import.meta.dirname, '..', 'workers', 'queue-service.js'),
    join(dir, 'queue-service.js'),
  );
  await writeFile(join(dir, 'kv-entries.json'), JSON.stringify(options.kvEntries));

  const durableObjects = Object.entries(settings.durableObjects);
  const gateway = workerService('gateway', {
    ...settings.compatibility,
    modules: await bundleModules(dir, 'bundle'),
    bindings: [
      kvBinding(KV_BINDING, 'kv'),
      ...durableObjects.map(([name, className]) => durableObjectBinding(name, className)),
      ...settings.queues.map((name) => queueBinding(name, 'queue')),
      ...Object.entries(settings.vars).map(varBinding),
    ],
    globalOutbound: 'loopback',
    durableObjects: [...new Set(durableObjects.map(([, className]) => className))].map(
      (className): DurableObjectClass => ({ className, uniqueKey: `edgeway-bench-${className}` }),
    ),
  });
  const kv = workerService('kv', {
    compatibilityDate: settings.compatibility.compatibilityDate,
    compatibilityFlags: [],
    modules: [esModule('kv-service.js')],
    bindings: [jsonFileBinding('ENTRIES', 'kv-entries.json')],
  });
  const queue = workerService('queue', {
    compatibilityDate: settings.compatibility.compatibilityDate,
    compatibilityFlags: [],
    modules: [esModule('queue-service.js')],
    bindings: [],
  });
  const [port, kvPort, queuePort] = [await freePort(), await freePort(), await freePort()];
  const storage = join(dir, 'durable-objects');
  await mkdir(storage, { recursive: true });
  const config = capnpConfig(
    [gateway, kv, queue, diskService(DURABLE_OBJECT_STORAGE, storage), localNetworkService('loopback')],
    [
      httpSocket('http', port, 'gateway'),
      httpSocket('kv-stats', kvPort, 'kv'),
      httpSocket('queue-stats', queuePort, 'queue'),
    ],
  );
  const origin = `http://127.0.0.1:${port}`;
  await serveWorkerd(dir, config, 'gateway (workerd)', origin);
  return {
    origin,
    kvReadsUrl: `http://127.0.0.1:${kvPort}/__reads`,
    queueMessagesUrl: `http://127.0.0.1:${queuePort}/__messages`,
  };
}

/** wrangler's output as workerd modules, main module (index.js) first; paths relative to `dir`. */
async function bundleModules(dir: string, bundle: string): Promise<string[]> {
  const entries = await readdir(join(dir, bundle), { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.map') && entry.name !== 'README.md')
    .map((entry) => relative(join(dir, bundle), join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort((a, b) => Number(b === 'index.js') - Number(a === 'index.js') || a.localeCompare(b));
  if (files[0] !== 'index.js') throw new Error(`wrangler wrote no index.js to ${join(dir, bundle)}`);
  return files.map((file) => {
    const path = `${bundle}/${file}`;
    if (/\.m?js$/.test(file)) return esModule(path);
    if (file.endsWith('.wasm')) return wasmModule(path);
    throw new Error(`bench/lib/gateway.ts does not know how to load the bundled module ${path}`);
  });
}

/** As wrangler does: a string var is a text binding, any other value a JSON binding. */
function varBinding([name, value]: [string, unknown]): string {
  return typeof value === 'string' ? textBinding(name, value) : jsonBinding(name, value);
}
