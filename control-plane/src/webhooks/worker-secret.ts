/**
 * Reads a Worker secret named at runtime: a registration names the secret that holds its
 * provider API token (`wrangler secret put <NAME>`), which the generated Env type cannot
 * know. The control plane's own secrets cannot be named (registration.ts).
 */

/** The secret's value; undefined unless the Worker has a non-empty string binding of that name. */
export function workerSecret(env: Cloudflare.Env, name: string): string | undefined {
  const value: unknown = (env as unknown as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
