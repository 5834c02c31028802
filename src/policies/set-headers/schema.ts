/**
 * Options of the `set-headers` policy. Listed under a route's `inbound` it edits the
 * request sent upstream; under `outbound`, the response sent to the client.
 */
import { z } from 'zod';
import { HeaderMapSchema, HeaderNameSchema } from '../../config/http-fields.ts';

export const setHeadersSchema = z
  .strictObject({
    set: HeaderMapSchema.default({}).describe('Headers to set, replacing any value already present.'),
    append: HeaderMapSchema.default({}).describe('Headers to add, keeping values already present.'),
    remove: z
      .array(HeaderNameSchema)
      .default([])
      .describe('Headers to remove; applied before set and append.'),
  })
  .describe('Sets, appends and removes request headers (inbound) or response headers (outbound).');

export type SetHeadersOptions = z.output<typeof setHeadersSchema>;
