/**
 * Options of the `set-headers` policy. Listed under a route's `inbound` it edits the
 * request sent upstream; under `outbound`, the response sent to the client.
 */
import { z } from 'zod';

/** RFC 9110 §5.1: a field name is a token. */
const HeaderName = z
  .string()
  .regex(
    /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/,
    "a header name is an RFC 9110 token (letters, digits, !#$%&'*+.^_`|~-)",
  )
  .transform((name) => name.toLowerCase());

/** RFC 9110 §5.5: no CR, LF or NUL in a field value. */
const HeaderValue = z.string().regex(/^[^\r\n\0]*$/, 'a header value cannot contain CR, LF or NUL');

export const setHeadersSchema = z
  .strictObject({
    set: z
      .record(HeaderName, HeaderValue)
      .default({})
      .describe('Headers to set, replacing any value already present.'),
    append: z
      .record(HeaderName, HeaderValue)
      .default({})
      .describe('Headers to add, keeping values already present.'),
    remove: z.array(HeaderName).default([]).describe('Headers to remove; applied before set and append.'),
  })
  .describe('Sets, appends and removes request headers (inbound) or response headers (outbound).');

export type SetHeadersOptions = z.output<typeof setHeadersSchema>;
