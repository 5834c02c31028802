/**
 * Request validation: zod schemas through @hono/zod-validator, with every issue reported
 * at once as a 400 problem saying where it is (`in` and an RFC 6901 JSON Pointer such as
 * `/files/edgeway.yaml`) and what is wrong.
 */
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { problem } from './problems.ts';

export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result, c) => {
    if (result.success) return;
    const errors = result.error.issues.map((issue) => ({
      in: target,
      path: jsonPointer(issue.path),
      message: issue.message,
    }));
    return problem(c, {
      slug: 'invalid-request',
      status: 400,
      title: 'Invalid request',
      detail: `The request has ${errors.length} invalid ${errors.length === 1 ? 'value' : 'values'}; see errors.`,
      extensions: { errors },
    });
  });
}

function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((key) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
