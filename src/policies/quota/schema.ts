/**
 * Options of the `quota` policy: an allowance of requests per consumer or API key for
 * each UTC hour, day or month, counting only responses in the given status ranges.
 */
import { z } from 'zod';
import { AuthSchemeSchema } from '../../config/auth-fields.ts';
import { ZoneErrorSchema } from '../../config/limit-fields.ts';
import { StatusRangeSchema } from '../../config/status-ranges.ts';

export const quotaSchema = z
  .strictObject({
    by: z
      .enum(['consumer', 'api-key'])
      .default('consumer')
      .describe(
        'consumer: one allowance per consumer, whatever credential it uses. api-key: one per API key (a consumer without one, e.g. from a JWT, counts by its id).',
      ),
    period: z
      .enum(['hour', 'day', 'month'])
      .describe('The calendar period, in UTC, the allowance is for; it renews at the start of the next.'),
    requests: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .describe('How many counted responses each consumer or key may have per period.'),
    countStatuses: z
      .array(StatusRangeSchema)
      .min(1)
      .default(['2xx'])
      .describe('The response statuses that use up the allowance, e.g. [2xx] or [2xx, 404, 400-403].'),
    allowAnonymous: z
      .boolean()
      .default(false)
      .describe(
        "Let a request without a consumer pass without a quota; otherwise it is refused 401. List the quota after the route's auth policies.",
      ),
    challenge: AuthSchemeSchema.default('Bearer').describe(
      'The auth scheme named in WWW-Authenticate when an anonymous request is refused (401).',
    ),
    onError: ZoneErrorSchema,
    headers: z
      .boolean()
      .default(true)
      .describe('Send the remaining allowance in the RateLimit-Policy and RateLimit fields.'),
  })
  .describe(
    'An hourly, daily or monthly allowance of requests per consumer or API key, counting only responses in the given status ranges.',
  );

export type QuotaOptions = z.output<typeof quotaSchema>;
