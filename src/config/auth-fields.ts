/**
 * Option fields every auth policy shares, so each reads its credential and describes it
 * the same way: where the credential is (a header, optionally after an auth scheme), and
 * which headers carry the authenticated consumer to the upstream.
 */
import { z } from 'zod';
import { HeaderNameSchema } from './http-fields.ts';

/** RFC 9110 §11.1: an auth scheme is a token. */
export const AuthSchemeSchema = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'an auth scheme is an RFC 9110 token, e.g. Bearer');

export interface CredentialLocationDefaults {
  readonly header: string;
  /** Empty: the header holds the credential alone. */
  readonly scheme: string;
}

export function credentialLocationSchema(defaults: CredentialLocationDefaults) {
  return z
    .strictObject({
      header: HeaderNameSchema.default(defaults.header).describe(
        'Request header that carries the credential.',
      ),
      scheme: z
        .union([AuthSchemeSchema, z.literal('')])
        .default(defaults.scheme)
        .describe(
          'Auth scheme before the credential in the header, matched case-insensitively (e.g. Bearer); empty when the header holds the credential alone.',
        ),
    })
    .prefault({})
    .describe('Where the credential is read.');
}
export type CredentialLocation = z.output<ReturnType<typeof credentialLocationSchema>>;

export const ForwardHeadersSchema = z
  .strictObject({
    id: HeaderNameSchema.optional().describe("Header carrying the consumer's id."),
    name: HeaderNameSchema.optional().describe("Header carrying the consumer's name."),
    tags: HeaderNameSchema.optional().describe("Header carrying the consumer's tags, comma-separated."),
    plan: HeaderNameSchema.optional().describe("Header carrying the consumer's plan, when it has one."),
    scopes: HeaderNameSchema.optional().describe('Header carrying the granted scopes, space-separated.'),
    metadata: HeaderNameSchema.optional().describe("Header carrying the consumer's metadata as JSON."),
  })
  .default({})
  .describe(
    'Headers that pass the authenticated consumer to the upstream. Whatever the client sent in them is removed first.',
  );
export type ForwardHeaders = z.output<typeof ForwardHeadersSchema>;
