/**
 * What the zone accepts over RPC: the version skew rule, then the request's shape. A
 * caller may run other code than the object (during a rollout, or a bug), so the object
 * checks every request before it counts anything: a request it cannot read must get a
 * clear refusal, never a wrong count.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../config/result.ts';
import {
  type HitRequest,
  type LeaseRequest,
  type QuotaRequest,
  ZONE_BOUNDS,
  ZONE_PROTOCOL,
} from './protocol.ts';

/** The skew rule: this zone answers its own protocol and the one before it. */
export const ACCEPTED_PROTOCOLS: readonly number[] =
  ZONE_PROTOCOL > 1 ? [ZONE_PROTOCOL - 1, ZONE_PROTOCOL] : [ZONE_PROTOCOL];

const LimitSpecSchema = z.strictObject({
  id: z.string().min(1).max(100),
  requests: z.int().min(1).max(ZONE_BOUNDS.maxRequests),
  windowMs: z.int().min(1).max(ZONE_BOUNDS.maxWindowMs),
});
const LimitsSchema = z.array(LimitSpecSchema).min(1).max(ZONE_BOUNDS.maxLimits);

// Protocol 1: one request, consumed or counted. Protocol 2 has lease() instead.
const HitRequestSchema = z.strictObject({
  v: z.literal(1),
  limits: LimitsSchema,
  op: z.enum(['consume', 'count']),
});

const LeaseRequestSchema = z.strictObject({
  v: z.literal(2),
  limits: LimitsSchema,
  admit: z.int().min(0).max(ZONE_BOUNDS.maxHits),
  count: z.int().min(0).max(ZONE_BOUNDS.maxHits),
  spare: z.int().min(0).max(ZONE_BOUNDS.maxLeaseSize),
  lifetimeMs: z.int().min(1).max(ZONE_BOUNDS.maxLeaseMs),
  release: z
    .strictObject({
      lease: z.string().min(1).max(64),
      unused: z.int().min(1).max(ZONE_BOUNDS.maxLeaseSize),
    })
    .optional(),
});

// Protocols 1 and 2 share the quota request's shape.
const QuotaRequestSchema = z.strictObject({
  v: z.union([z.literal(1), z.literal(2)]),
  period: z.enum(['hour', 'day', 'month']),
  allowance: z.int().min(0),
  op: z.enum(['check', 'add']),
});

/** hit() is protocol 1's: answered for workers that still speak it (the skew rule). */
export function readHitRequest(value: unknown): Result<HitRequest, string> {
  return readRequest(value, HitRequestSchema, 'hit', [1]);
}

/** lease() arrived with protocol 2, so it has no earlier version to answer. */
export function readLeaseRequest(value: unknown): Result<LeaseRequest, string> {
  return readRequest(value, LeaseRequestSchema, 'lease', [2]);
}

export function readQuotaRequest(value: unknown): Result<QuotaRequest, string> {
  return readRequest(value, QuotaRequestSchema, 'quota', ACCEPTED_PROTOCOLS);
}

function readRequest<T>(
  value: unknown,
  schema: z.ZodType<T>,
  method: string,
  accepted: readonly number[],
): Result<T, string> {
  const version = typeof value === 'object' && value !== null ? (value as { v?: unknown }).v : undefined;
  if (typeof version !== 'number' || !accepted.includes(version)) {
    return err(
      `rate-limit zone: ${method}() speaks protocol ${accepted.join(' and ')}; ` +
        `the request is of protocol ${JSON.stringify(version ?? null)}`,
    );
  }
  const parsed = schema.safeParse(value);
  return parsed.success
    ? ok(parsed.data)
    : err(`rate-limit zone: malformed ${method}() request: ${z.prettifyError(parsed.error)}`);
}
