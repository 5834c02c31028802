/**
 * Helpers for the control plane's workerd tests: calling the API over HTTP, building
 * config bundles, and reading back what landed in D1 and KV. Storage is shared by the
 * tests of one file, so each test deploys to an environment of its own.
 */
import { env, exports } from 'cloudflare:workers';
import { type AppOptions, createApp } from '../../control-plane/src/app.ts';
import type { ConfigKv } from '../../control-plane/src/deploy/config-kv.ts';
import { canonicalJson, contentHash } from '../../src/config/canonical.ts';
import { CompiledDeploymentSchema, type EnvironmentPointer } from '../../src/config/compiled.ts';
import { kvKeys } from '../../src/config/kv-keys.ts';

export const ADMIN_TOKEN = 'test-admin-token';

interface Handler {
  fetch(request: Request): Promise<Response> | Response;
}

/** Response bodies are checked field by field with `expect`, so their type is left open. */
// biome-ignore lint/suspicious/noExplicitAny: the assertions are the type check
export type JsonBody = any;

export interface CallOptions {
  readonly method?: string;
  /** Bearer token; the bootstrap admin token unless given, none when null. */
  readonly token?: string | null;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as it is, as application/json. */
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly handler?: Handler;
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers();
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  const body = options.json === undefined ? options.body : JSON.stringify(options.json);
  if (body !== undefined) headers.set('content-type', 'application/json');
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  const request = new Request(`https://control.test${path}`, { method, headers, body });
  return (options.handler ?? exports.default).fetch(request);
}

export async function callJson(
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; body: JsonBody }> {
  const response = await call(path, options);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The API with injected options (a wrapped KV binding, a short lease wait). */
export function appWith(options: AppOptions): Handler {
  const app = createApp(options);
  return { fetch: (request) => app.fetch(request, env) };
}

let environments = 0;
export function uniqueEnvironment(prefix = 'env'): string {
  environments += 1;
  return `${prefix}-${environments}`;
}

export interface ConfigOptions {
  /** Value of a response header: different tags give different deployments. */
  readonly tag?: string;
  readonly hosts?: readonly string[];
}

/** A valid config in the shape of examples/quickstart, for one environment. */
export function configYaml(environment: string, options: ConfigOptions = {}): string {
  const hosts = options.hosts?.length ? `\n    hosts: [${options.hosts.join(', ')}]` : '';
  return `version: 1

upstreams:
  demo:
    url: \${env.DEMO_URL}
    timeoutMs: 10000

policies:
  tag-response:
    type: set-headers
    options:
      set:
        x-deploy-tag: ${options.tag ?? 'one'}

routes:
  - path: /echo/*
    upstream: demo
    outbound: [tag-response]
  - path: /health
    methods: [GET]
    mock:
      status: 200
      headers:
        content-type: application/json
      body: '{"status":"ok"}'

environments:
  ${environment}:${hosts}
    vars:
      DEMO_URL: http://127.0.0.1:8789
`;
}

export function bundle(environment: string, files: Record<string, string>) {
  return {
    environment,
    files,
    commit: '4f2c1e9',
    branch: 'main',
    author: 'Ada <ada@example.com>',
    message: 'Ship it',
  };
}

export function deployRequest(
  environment: string,
  options: ConfigOptions & CallOptions = {},
): Promise<Response> {
  const json = bundle(environment, { 'edgeway.yaml': configYaml(environment, options) });
  return call('/api/v1/deployments', { ...options, json });
}

/** Deploys and returns the created deployment, failing the test unless it went live. */
export async function deployLive(environment: string, options: ConfigOptions = {}): Promise<JsonBody> {
  const response = await deployRequest(environment, options);
  const body = await response.json<{ id: string; status: string }>();
  if (response.status !== 201 || body.status !== 'live') {
    throw new Error(`deploy to ${environment} failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body;
}

export async function allKvKeys(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.CONFIG.list(cursor ? { cursor } : {});
    keys.push(...page.keys.map((key) => key.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return keys.sort();
}

export async function readPointer(environment: string): Promise<EnvironmentPointer | null> {
  const text = await env.CONFIG.get(kvKeys.environmentPointer(environment));
  return text === null ? null : (JSON.parse(text) as EnvironmentPointer);
}

export async function hostRecord(host: string): Promise<unknown> {
  const text = await env.CONFIG.get(kvKeys.host(host));
  return text === null ? null : JSON.parse(text);
}

/** The hosts an environment claims in D1, sorted. */
export async function claims(environment: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    'SELECT host FROM environment_hosts WHERE environment = ? ORDER BY host',
  )
    .bind(environment)
    .all<{ host: string }>();
  return results.map((row) => row.host);
}

export async function leaseHolder(environment: string): Promise<string | null> {
  return env.DB.prepare('SELECT lease_holder FROM environments WHERE name = ?')
    .bind(environment)
    .first('lease_holder');
}

/** Makes `holder` hold the environment's lease until `expiresAt` (ms since the epoch). */
export async function holdLease(environment: string, holder: string, expiresAt: number): Promise<void> {
  await env.DB.prepare('UPDATE environments SET lease_holder = ?, lease_expires_at = ? WHERE name = ?')
    .bind(holder, expiresAt, environment)
    .run();
}

/** A blob is whole when it parses, matches the schema, and its config hashes to its hash. */
export async function blobIsWhole(deploymentId: string): Promise<boolean> {
  const text = await env.CONFIG.get(kvKeys.deployment(deploymentId));
  if (text === null) return false;
  const raw = JSON.parse(text);
  const parsed = CompiledDeploymentSchema.safeParse(raw);
  return (
    parsed.success &&
    parsed.data.deploymentId === deploymentId &&
    (await contentHash(canonicalJson(raw.config))) === parsed.data.hash
  );
}

export async function statusOf(deploymentId: string): Promise<string | null> {
  return env.DB.prepare('SELECT status FROM deployments WHERE id = ?')
    .bind(deploymentId)
    .first<string>('status');
}

/** Wraps the real CONFIG binding, recording each write and failing the puts and deletes the predicates pick. */
export function recordingKv(
  failPut: (key: string) => boolean = () => false,
  failDelete: (key: string) => boolean = () => false,
) {
  const writes: string[] = [];
  const wrap = (kv: KVNamespace): ConfigKv => ({
    get: (key) => kv.get(key),
    put: async (key, value) => {
      writes.push(`put ${key}`);
      if (failPut(key)) throw new Error(`injected failure writing ${key}`);
      await kv.put(key, value);
    },
    delete: async (key) => {
      writes.push(`delete ${key}`);
      if (failDelete(key)) throw new Error(`injected failure deleting ${key}`);
      await kv.delete(key);
    },
  });
  return { writes, wrap };
}
