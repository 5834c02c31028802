/**
 * Options of the `rate-limit` policy: what a request is counted by, one or more sliding
 * limits that must all hold, and whether the zone decides before the request goes
 * upstream (strict) or counts it alongside (async).
 */
import { z } from 'zod';
import { HeaderNameSchema } from '../../config/http-fields.ts';
import { parseDuration, WindowSchema, ZoneErrorSchema } from '../../config/limit-fields.ts';

const MAX_LIMITS = 10;
const SAME_WINDOW_MESSAGE = 'expected each limit to have its own window';

const KeySchema = z
  .discriminatedUnion('by', [
    z.strictObject({
      by: z
        .literal('ip')
        .describe('The client IP from CF-Connecting-IP (never X-Forwarded-For); IPv6 counted per /64.'),
    }),
    z.strictObject({
      by: z.literal('consumer').describe('The consumer an auth policy earlier on the route established.'),
    }),
    z.strictObject({
      by: z
        .literal('api-key')
        .describe("The consumer's API key (its key id), so each key of a consumer has its own count."),
    }),
    z.strictObject({
      by: z
        .literal('claim')
        .describe("A claim of the consumer's verified JWT or introspection result (a string or number)."),
      claim: z.string().min(1).max(100).describe('The claim, e.g. sub or tenant_id.'),
    }),
    z.strictObject({
      by: z.literal('header').describe('The value of a request header, e.g. x-tenant.'),
      header: HeaderNameSchema.describe('The request header.'),
    }),
    z.strictObject({ by: z.literal('route').describe('One count for the whole route, whoever calls.') }),
  ])
  .default({ by: 'ip' })
  .describe(
    'What requests are counted by (default: the client IP). A consumer, api-key, claim or header key that a request lacks falls back to its client IP.',
  );

const LimitSchema = z
  .strictObject({
    requests: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .describe('How many requests the key may make in any window-long span.'),
    window: WindowSchema,
  })
  .describe('At most `requests` in any `window`-long span (a sliding window: no double burst at its edge).');

export const rateLimitSchema = z
  .strictObject({
    key: KeySchema,
    limits: z
      .array(LimitSchema)
      .min(1)
      .max(MAX_LIMITS)
      .refine((limits) => {
        const windows = limits.map((limit) => parseDuration(limit.window));
        return new Set(windows).size === windows.length;
      }, SAME_WINDOW_MESSAGE)
      .describe('One or more limits, e.g. 10 per 1s and 1000 per 1h; a request must fit every one.'),
    mode: z
      .enum(['strict', 'async'])
      .default('strict')
      .describe(
        'strict: the zone admits each request before it goes upstream, exactly. async: the request goes upstream at once and is counted alongside; a key the zone reports over its limit is refused locally until it has room again.',
      ),
    onError: ZoneErrorSchema,
    headers: z
      .boolean()
      .default(true)
      .describe('Send the RateLimit-Policy and RateLimit fields (draft-ietf-httpapi-ratelimit-headers).'),
  })
  .describe(
    'Limits how many requests a client IP, consumer, API key, claim, header value or the whole route may make, exactly across every location.',
  );

export type RateLimitOptions = z.output<typeof rateLimitSchema>;
export type RateLimitKey = RateLimitOptions['key'];
