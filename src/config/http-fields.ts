/**
 * HTTP field schemas shared by every part of the config that names headers (policy
 * options, mock responses), so a header is checked the same way wherever it appears.
 */
import { z } from 'zod';

/** RFC 9110 §5.1: a field name is a token. Lowercased, as HTTP/2 and Headers do. */
export const HeaderNameSchema = z
  .string()
  .regex(
    /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/,
    "a header name is an RFC 9110 token (letters, digits, !#$%&'*+.^_`|~-)",
  )
  .transform((name) => name.toLowerCase());

/** RFC 9110 §5.5: no CR, LF or NUL in a field value. */
export const HeaderValueSchema = z
  .string()
  .regex(/^[^\r\n\0]*$/, 'a header value cannot contain CR, LF or NUL');

export const HeaderMapSchema = z.record(HeaderNameSchema, HeaderValueSchema);
