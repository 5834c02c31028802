/**
 * Options of the `oauth-introspection` policy (RFC 7662): the authorization server's
 * introspection endpoint and the gateway's client credentials there, where the token is
 * read from, what an active token must carry, how long results are cached, and what
 * happens while the endpoint cannot answer. `clientSecret` is written as `${secret.NAME}`;
 * it is resolved before these options are parsed.
 */
import { z } from 'zod';
import { credentialLocationSchema, ForwardHeadersSchema } from '../../config/auth-fields.ts';
import { boundedInt } from '../../config/source-fields.ts';

const ENDPOINT_MESSAGE =
  'expected an absolute http or https URL without userinfo, such as https://auth.example.com/oauth2/introspect';
const CLAIM_MESSAGE = 'expected a claim name';

const EndpointSchema = z.string().refine((text) => {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  return (url?.protocol === 'https:' || url?.protocol === 'http:') && !url.username && !url.password;
}, ENDPOINT_MESSAGE);

const CacheSchema = z
  .strictObject({
    maxActiveSeconds: boundedInt(0, 3_600)
      .default(300)
      .describe(
        "How long an active result is reused, at most; never past the token's exp. 0 asks the endpoint on every request.",
      ),
    inactiveSeconds: boundedInt(0, 300)
      .default(30)
      .describe(
        'How long an inactive (or expired) result is reused, so a replayed bad token does not reach the endpoint each time.',
      ),
    staleIfErrorSeconds: boundedInt(0, 86_400)
      .default(600)
      .describe(
        "With onError allow-cached: how long after it stops being reused an active result may still be served while the endpoint fails; never past the token's exp.",
      ),
  })
  .prefault({})
  .describe('Isolate-level cache of introspection results, keyed by a SHA-256 of the token.');

export const oauthIntrospectionSchema = z
  .strictObject({
    endpoint: EndpointSchema.describe("The authorization server's introspection endpoint (RFC 7662 §2)."),
    clientId: z.string().min(1).describe("The gateway's client id at the authorization server."),
    clientSecret: z
      .string()
      .min(1)
      .describe(`The gateway's client secret; write it as \${secret.NAME}, never in clear in Git.`),
    clientAuth: z
      .enum(['client_secret_basic', 'client_secret_post'])
      .default('client_secret_basic')
      .describe(
        'How the gateway authenticates to the endpoint (RFC 6749 §2.3.1): HTTP Basic, or client_id and client_secret in the form body.',
      ),
    token: credentialLocationSchema({ header: 'authorization', scheme: 'Bearer' }).describe(
      'Where the access token is read: by default `Authorization: Bearer <token>` (RFC 6750 §2.1). A header with another scheme counts as no token.',
    ),
    audience: z
      .string()
      .min(1)
      .optional()
      .describe("When set, an active token's aud (a string or a list) must contain this value."),
    subjectClaim: z
      .string()
      .min(1, CLAIM_MESSAGE)
      .default('sub')
      .describe('The response member that names the consumer; username, then client_id, when it is absent.'),
    cache: CacheSchema,
    timeoutMs: boundedInt(100, 30_000)
      .default(3_000)
      .describe('How long to wait for the endpoint, in milliseconds, before counting it as failed.'),
    onError: z
      .enum(['deny', 'allow-cached', 'allow-anonymous'])
      .default('deny')
      .describe(
        'When the endpoint fails (timeout, network error, non-200 answer, malformed JSON). deny: 503 with Retry-After. allow-cached: serve a recently active result if there is one (see cache.staleIfErrorSeconds), else 503. allow-anonymous: let the request pass as anonymous.',
      ),
    allowAnonymous: z
      .boolean()
      .default(false)
      .describe(
        'Let a request without a token pass as anonymous. A token that is present but not valid is refused all the same.',
      ),
    stripCredentials: z
      .boolean()
      .default(true)
      .describe('Remove the token header from an accepted request before it goes upstream.'),
    forwardHeaders: ForwardHeadersSchema,
  })
  .describe(
    'Accepts requests whose OAuth 2.0 access token the authorization server reports active (RFC 7662).',
  );

export type OauthIntrospectionOptions = z.output<typeof oauthIntrospectionSchema>;
