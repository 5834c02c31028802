/**
 * What the zone accepts over RPC: the version skew rule, then the request's shape. A
 * caller may run other code than the object (during a rollout, or a bug), so the object
 * checks every request before it counts anything: a request it cannot read must get a
 * clear refusal, never a wrong count.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../config/result.ts';
import { type HitRequest, type QuotaRequest, ZONE_BOUNDS, ZONE_PROTOCOL } from './protocol.ts';

/** The skew rule: this zone answers its own protocol and the one before it. */
export const ACCEPTED_PROTOCOLS: readonly number[] =
  ZONE_PROTOCOL > 1 ? [ZONE_PROTOCOL - 1, ZONE_PROTOCOL] : [ZONE_PROTOCOL];

const LimitSpecSchema = z.strictObject({
  id: z.string().min(1).max(100),
  requests: z.int().min(1).max(ZONE_BOUNDS.maxRequests),
  windowMs: z.int().min(1).max(ZONE_BOUNDS.maxWindowMs),
});

// Protocol 1. When protocol 2 arrives, protocol 1's schemas stay and their requests are
// upgraded to 2 here, after the version check.
const HitRequestSchema = z.strictObject({
  v: z.literal(1),
  limits: z.array(LimitSpecSchema).min(1).max(ZONE_BOUNDS.maxLimits),
  op: z.enum(['consume', 'count']),
});

const QuotaRequestSchema = z.strictObject({
  v: z.literal(1),
  period: z.enum(['hour', 'day', 'month']),
  allowance: z.int().min(0),
  op: z.enum(['check', 'add']),
});

export function readHitRequest(value: unknown): Result<HitRequest, string> {
  return readRequest(value, HitRequestSchema, 'hit');
}

export function readQuotaRequest(value: unknown): Result<QuotaRequest, string> {
  return readRequest(value, QuotaRequestSchema, 'quota');
}

function readRequest<T>(value: unknown, schema: z.ZodType<T>, method: string): Result<T, string> {
  const version = typeof value === 'object' && value !== null ? (value as { v?: unknown }).v : undefined;
  if (typeof version !== 'number' || !ACCEPTED_PROTOCOLS.includes(version)) {
    return err(
      `rate-limit zone: ${method}() speaks protocol ${ACCEPTED_PROTOCOLS.join(' and ')}; ` +
        `the request is of protocol ${JSON.stringify(version ?? null)}`,
    );
  }
  const parsed = schema.safeParse(value);
  return parsed.success
    ? ok(parsed.data)
    : err(`rate-limit zone: malformed ${method}() request: ${z.prettifyError(parsed.error)}`);
}
