/**
 * Runs a config-language schema over a source value and turns zod's issues into
 * diagnostics: a JSON path, a message in the compiler's voice, and whether the error
 * belongs on a map key (unknown or invalid key) or on a value.
 */
import type { z } from 'zod';
import { issueMessage } from './issue-messages.ts';
import type { JsonPath } from './json-path.ts';
import { unknownKey } from './messages.ts';
import type { Focus } from './source-document.ts';

export interface Diagnostic {
  readonly path: JsonPath;
  readonly message: string;
  readonly focus: Focus;
}

export type Validated<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export function validate<S extends z.ZodType>(schema: S, value: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(value, { error: issueMessage });
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, diagnostics: result.error.issues.flatMap(toDiagnostics) };
}

function toDiagnostics(issue: z.core.$ZodIssue): Diagnostic[] {
  const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  // One issue lists every unknown key of an object; each key gets its own error, on the key.
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: [...path, key],
      message: unknownKey(key, issue.message),
      focus: 'key',
    }));
  }
  return [{ path, message: issue.message, focus: issue.code === 'invalid_key' ? 'key' : 'value' }];
}
