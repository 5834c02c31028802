/**
 * What every dashboard form shares: the hidden CSRF field a session's mutations must
 * carry (auth/csrf.ts), the one-button form of a change that needs nothing else, and reading a posted form against a zod schema, where a refusal is
 * one sentence the page shows beside the form, naming the field.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { err, ok, type Result } from '../../../src/config/result.ts';
import { CSRF_FIELD } from '../auth/csrf.ts';

export function CsrfField({ token }: { readonly token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/** A one-button form posting to `action`: a change that needs no other field. */
export function PostButton(props: {
  readonly action: string;
  readonly csrf: string;
  readonly label: string;
  readonly variant: 'secondary' | 'danger';
  readonly title?: string;
}) {
  return (
    <form method="post" action={props.action}>
      <CsrfField token={props.csrf} />
      <button type="submit" class={props.variant} title={props.title}>
        {props.label}
      </button>
    </form>
  );
}

/** The posted form's text fields, parsed with `schema`; file fields are ignored. */
export async function readForm<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<Result<z.infer<Schema>, string>> {
  const body = await c.req.parseBody();
  const fields = Object.fromEntries(Object.entries(body).filter(([, value]) => typeof value === 'string'));
  const parsed = schema.safeParse(fields);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  return err(field ? `${field}: ${issue.message}` : issue.message);
}
