/**
 * Why configuration could not be read or loaded. These are expected failures, so they
 * are values: the isolate cache logs them and keeps serving its last-known-good
 * deployment, then tries again later.
 */
import type { z } from 'zod';

export type ConfigFailure =
  | { readonly reason: 'kv-unavailable'; readonly key: string; readonly error: string }
  | { readonly reason: 'missing'; readonly key: string }
  | { readonly reason: 'corrupt'; readonly key: string; readonly detail: string };

export type Loaded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: ConfigFailure };

export function loaded<T>(value: T): Loaded<T> {
  return { ok: true, value };
}

export function failed(failure: ConfigFailure): Loaded<never> {
  return { ok: false, failure };
}

export function corrupt(key: string, detail: string): Loaded<never> {
  return failed({ reason: 'corrupt', key, detail });
}

/** Validates `json` against `schema`; a mismatch makes the value at `key` corrupt. */
export function validated<T>(schema: z.ZodType<T>, json: unknown, key: string): Loaded<T> {
  const result = schema.safeParse(json);
  if (result.success) return loaded(result.data);
  const issue = result.error.issues[0];
  const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return corrupt(key, `does not match the schema${at}: ${issue?.message ?? 'invalid'}`);
}
