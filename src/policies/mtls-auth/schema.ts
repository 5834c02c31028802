/**
 * Options of the `mtls-auth` policy: which client certificates, already verified by
 * Cloudflare's edge during the TLS handshake, are accepted. Each list is optional and
 * narrows the others: a certificate must be in every list that is set.
 */
import { z } from 'zod';
import { ForwardHeadersSchema } from '../../config/auth-fields.ts';

const FINGERPRINT_MESSAGE =
  'expected a SHA-256 fingerprint: 64 hexadecimal digits, optionally in colon-separated pairs';
const DN_MESSAGE = 'expected a distinguished name such as "CN=client.example.com, O=Example"';

/** Upper or lower case, with or without colons (as `openssl x509 -fingerprint` prints it); kept as lowercase hex. */
const FingerprintSchema = z
  .string()
  .regex(/^(?:[0-9A-Fa-f]{64}|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31})$/, FINGERPRINT_MESSAGE)
  .transform((text) => text.replaceAll(':', '').toLowerCase());

const DistinguishedNameSchema = z.string().regex(/^[^\r\n\0]+$/, DN_MESSAGE);

export const mtlsAuthSchema = z
  .strictObject({
    fingerprints: z
      .array(FingerprintSchema)
      .optional()
      .describe(
        "Accept only certificates with one of these SHA-256 fingerprints (Cloudflare's certFingerprintSHA256).",
      ),
    subjects: z
      .array(DistinguishedNameSchema)
      .optional()
      .describe(
        "Accept only certificates whose subject DN is one of these, exactly as Cloudflare's certSubjectDN reports it.",
      ),
    issuers: z
      .array(DistinguishedNameSchema)
      .optional()
      .describe(
        "Accept only certificates whose issuer DN is one of these, exactly as Cloudflare's certIssuerDN reports it.",
      ),
    allowAnonymous: z
      .boolean()
      .default(false)
      .describe(
        'Let a request without a client certificate pass as anonymous. A certificate that is presented but not verified or not listed is refused all the same.',
      ),
    forwardHeaders: ForwardHeadersSchema,
  })
  .describe(
    "Accepts requests whose TLS client certificate Cloudflare's edge verified (API Shield mTLS or Access), optionally pinned by fingerprint, subject or issuer.",
  );

export type MtlsAuthOptions = z.output<typeof mtlsAuthSchema>;
