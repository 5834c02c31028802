/**
 * Options of the `api-key-auth` policy: where the key is read, whether a key may come in
 * the query string, which key set it must belong to, and what reaches the upstream.
 */
import { z } from 'zod';
import { credentialLocationSchema, ForwardHeadersSchema } from '../../config/auth-fields.ts';

export const apiKeyAuthSchema = z
  .strictObject({
    key: credentialLocationSchema({ header: 'x-api-key', scheme: '' }).describe(
      'Where the key is read: by default the X-Api-Key header alone; e.g. {header: authorization, scheme: Bearer}.',
    ),
    queryParameter: z
      .string()
      .regex(/^[A-Za-z0-9._~-]{1,64}$/, 'a query parameter name of 1-64 letters, digits or ._~-')
      .optional()
      .describe(
        'A query parameter that may carry the key instead, e.g. api_key. Query strings end up in logs and browser history, so without this a key in the query string is refused. The parameter is removed before the upstream and from analytics.',
      ),
    keySet: z
      .enum(['environment', 'live', 'test'])
      .default('environment')
      .describe(
        'Which keys are accepted: environment (live keys in production, test keys in previews), or live or test keys everywhere.',
      ),
    allowAnonymous: z
      .boolean()
      .default(false)
      .describe(
        'Let a request without a key through, anonymous (for a later policy to decide); a key that is present but not valid is always refused.',
      ),
    stripCredentials: z
      .boolean()
      .default(true)
      .describe('Remove the key header from the request sent upstream.'),
    forwardHeaders: ForwardHeadersSchema,
  })
  .describe(
    "Identifies the caller by an Edgeway API key (edgeway keys create) and makes its consumer the request's.",
  );

export type ApiKeyAuthOptions = z.output<typeof apiKeyAuthSchema>;
