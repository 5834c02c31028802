/**
 * The shape of a consumer's fields and of a key's lifetime, as the API accepts them. The
 * messages are written for the client that sent a bad value: the API reports each one
 * with where it was (`/name`, `/metadata`).
 */
import { z } from 'zod';

const MAX_METADATA_BYTES = 1024;
const MAX_TAGS = 20;
/** 30 days: the longest a rolled key may keep working next to its replacement. */
const MAX_GRACE_PERIOD_SECONDS = 30 * 24 * 60 * 60;
export const DEFAULT_GRACE_PERIOD_SECONDS = 24 * 60 * 60;

export const ConsumerNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a consumer name is 1-64 letters, digits, ".", "_" or "-"');

export const TagSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,32}$/, 'a tag is 1-32 letters, digits, ".", "_", ":" or "-"');

export const TagsSchema = z
  .array(TagSchema)
  .max(MAX_TAGS, `a consumer has at most ${MAX_TAGS} tags`)
  .refine((tags) => new Set(tags).size === tags.length, 'each tag appears once');

export const PlanSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a plan is 1-64 letters, digits, ".", "_" or "-"');

export const MetadataSchema = z
  .record(z.string(), z.unknown())
  .refine(
    (metadata) => new TextEncoder().encode(JSON.stringify(metadata)).length <= MAX_METADATA_BYTES,
    `metadata is at most ${MAX_METADATA_BYTES} bytes of JSON`,
  );

/** An ISO 8601 time with its offset, later than now. */
export const FutureTimeSchema = z.iso
  .datetime({ offset: true, message: 'an expiry is an ISO 8601 time such as 2027-01-31T00:00:00Z' })
  // A time that does not parse has its format error already.
  .refine((time) => !(Date.parse(time) <= Date.now()), 'an expiry is in the future')
  .transform((time) => new Date(time).toISOString());

export const GracePeriodSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_GRACE_PERIOD_SECONDS, `the grace period is at most ${MAX_GRACE_PERIOD_SECONDS} seconds (30 days)`);
