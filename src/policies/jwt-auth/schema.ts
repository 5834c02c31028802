/**
 * Options of the `jwt-auth` policy: which tokens it accepts (issuer, audience, pinned
 * algorithms), where their keys come from (a JWKS URL or keys written in config), where
 * the token is read, and how its claims become the consumer. Everything a deployment
 * could get dangerously wrong (`none`, an HMAC secret shorter than its hash, a private
 * key in config, two key sources) is refused here, at compile time.
 */
import { z } from 'zod';
import { credentialLocationSchema, ForwardHeadersSchema } from '../../config/auth-fields.ts';
import { boundedInt } from '../../config/source-fields.ts';

/** JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) a route may pin; `none` is not one of them. */
export const JWS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'HS256',
  'HS384',
  'HS512',
] as const;

/** RFC 7518 §3.2: an HMAC key is at least as long as the hash output. */
const HMAC_MIN_SECRET_BYTES: Partial<Record<string, number>> = { HS256: 32, HS384: 48, HS512: 64 };

export function isHmacAlgorithm(alg: string): boolean {
  return HMAC_MIN_SECRET_BYTES[alg] !== undefined;
}

/**
 * The key ids Edgeway looks up: base64, base64url, hex, UUIDs and dotted or colon-joined
 * names, up to 256 characters, never `..`. A token's `kid` outside this shape is refused
 * before any key lookup or JWKS fetch.
 */
export function isAcceptableKid(kid: string): boolean {
  return /^[A-Za-z0-9._~+/=:-]{1,256}$/.test(kid) && !kid.includes('..');
}

const KID_MESSAGE = 'expected a kid of 1-256 letters, digits and -._~+/=: (without "..")';
const KidSchema = z.string().refine(isAcceptableKid, KID_MESSAGE);

const Base64UrlSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected base64url text');

/** The members each key type needs (RFC 7518 §6.2, §6.3; RFC 8037 §2). */
const KEY_TYPE_MEMBERS = {
  RSA: { required: ['n', 'e'], curves: [] },
  EC: { required: ['crv', 'x', 'y'], curves: ['P-256', 'P-384', 'P-521'] },
  OKP: { required: ['crv', 'x'], curves: ['Ed25519'] },
} as const;

const PublicJwkSchema = z
  .strictObject({
    kty: z.enum(['RSA', 'EC', 'OKP']).describe('Key type.'),
    kid: KidSchema.optional().describe('Key id; a token naming a kid is checked with that key only.'),
    alg: z
      .enum(JWS_ALGORITHMS.filter((alg) => !isHmacAlgorithm(alg)))
      .optional()
      .describe('The one algorithm this key verifies.'),
    use: z.literal('sig').optional().describe('Public key use; only signature keys are accepted.'),
    n: Base64UrlSchema.optional().describe('RSA modulus.'),
    e: Base64UrlSchema.optional().describe('RSA public exponent.'),
    crv: z.enum(['P-256', 'P-384', 'P-521', 'Ed25519']).optional().describe('Curve of an EC or OKP key.'),
    x: Base64UrlSchema.optional().describe('EC or OKP public x coordinate.'),
    y: Base64UrlSchema.optional().describe('EC public y coordinate.'),
  })
  .superRefine((jwk, ctx) => {
    const { required, curves } = KEY_TYPE_MEMBERS[jwk.kty];
    for (const member of required) {
      if (jwk[member] === undefined)
        ctx.addIssue({ code: 'custom', path: [member], message: `a ${jwk.kty} key needs "${member}"` });
    }
    if (jwk.crv !== undefined && !(curves as readonly string[]).includes(jwk.crv))
      ctx.addIssue({
        code: 'custom',
        path: ['crv'],
        message: `a ${jwk.kty} key cannot use curve ${jwk.crv}`,
      });
  })
  .describe('A public JSON Web Key (RFC 7517). Private members such as "d" are refused.');

const StaticKeysSchema = z
  .strictObject({
    publicKeys: z
      .array(PublicJwkSchema)
      .max(100)
      .default([])
      .describe('Public keys for the RS*, PS*, ES* and EdDSA algorithms.'),
    secret: z.string().optional().describe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${secret.NAME} is config-language syntax.
      'Shared secret for HS256/384/512, written as "${secret.NAME}"; at least as many bytes as the hash (32, 48, 64).',
    ),
  })
  .describe('Keys written in config, instead of jwksUrl.');

const JwksUrlSchema = z.string().refine((text) => {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  return (
    (url?.protocol === 'http:' || url?.protocol === 'https:') && url.username === '' && url.password === ''
  );
}, 'expected an http or https URL without userinfo');

const JwksTuningSchema = z
  .strictObject({
    cacheTtlSeconds: boundedInt(1, 86_400)
      .default(300)
      .describe('How long fetched keys are fresh; after that they are refreshed in the background.'),
    minRefetchIntervalSeconds: boundedInt(1, 3_600)
      .default(30)
      .describe('Least time between two fetches of the URL, also when a token names an unknown kid.'),
    timeoutMs: boundedInt(100, 30_000).default(3_000).describe('How long one JWKS fetch may take.'),
  })
  .prefault({})
  .describe('How the JWKS at jwksUrl is cached and refetched.');

const ClaimNameSchema = z.string().min(1).max(256);
const AudienceSchema = z.string().min(1);

export const jwtAuthSchema = z
  .strictObject({
    issuer: z.string().min(1).describe('The "iss" a token must carry, exactly.'),
    audience: z
      .union([AudienceSchema, z.array(AudienceSchema).min(1)])
      .describe('The audience, or audiences, one of which the token\'s "aud" must name.'),
    algorithms: z
      .array(z.enum(JWS_ALGORITHMS))
      .min(1)
      .describe('The JWS algorithms accepted; any other "alg" is refused.'),
    jwksUrl: JwksUrlSchema.optional().describe('URL of the issuer\'s JWKS (its "jwks_uri"); or give keys.'),
    keys: StaticKeysSchema.optional(),
    jwks: JwksTuningSchema,
    clockToleranceSeconds: boundedInt(0, 300)
      .default(30)
      .describe('Leeway for "exp", "nbf" and "iat" against the gateway clock.'),
    token: credentialLocationSchema({ header: 'authorization', scheme: 'Bearer' }).describe(
      'Where the token is read.',
    ),
    subjectClaim: ClaimNameSchema.default('sub').describe('Claim whose value is the consumer id and name.'),
    scopesClaim: ClaimNameSchema.default('scope').describe(
      'Claim holding the scopes: a space-separated string or a list (e.g. "scp").',
    ),
    allowAnonymous: z
      .boolean()
      .default(false)
      .describe('Let requests without a token through as anonymous; a bad token is refused regardless.'),
    forwardHeaders: ForwardHeadersSchema,
  })
  .superRefine((options, ctx) => {
    for (const problem of keySourceProblems(options)) ctx.addIssue({ code: 'custom', ...problem });
  })
  .describe('Accepts requests carrying a valid JWT (RFC 7519) and sets the consumer from its claims.');

export type JwtAuthOptions = z.output<typeof jwtAuthSchema>;
export type StaticKeys = NonNullable<JwtAuthOptions['keys']>;
export type JwksTuning = JwtAuthOptions['jwks'];

type KeySourceInput = Pick<JwtAuthOptions, 'algorithms' | 'jwksUrl' | 'keys'>;

/** What the key source cannot do for the pinned algorithms; never quotes the secret. */
function keySourceProblems({ algorithms, jwksUrl, keys }: KeySourceInput) {
  const problems: { path: string[]; message: string }[] = [];
  const hmac = algorithms.filter(isHmacAlgorithm);
  const asymmetric = algorithms.filter((alg) => !isHmacAlgorithm(alg));
  if ((jwksUrl === undefined) === (keys === undefined))
    problems.push({ path: [], message: 'give exactly one key source: jwksUrl or keys' });
  if (jwksUrl !== undefined && hmac.length > 0)
    problems.push({
      path: ['algorithms'],
      message: `${hmac.join(', ')} need keys.secret: a JWKS serves public keys only`,
    });
  if (keys === undefined) return problems;
  if (asymmetric.length > 0 && keys.publicKeys.length === 0)
    problems.push({ path: ['keys', 'publicKeys'], message: `${asymmetric.join(', ')} need keys.publicKeys` });
  if (hmac.length > 0 && keys.secret === undefined)
    problems.push({ path: ['keys', 'secret'], message: `${hmac.join(', ')} need keys.secret` });
  if (hmac.length === 0 && keys.secret !== undefined)
    problems.push({
      path: ['keys', 'secret'],
      message: 'keys.secret is used only by HS256, HS384 and HS512',
    });
  const needed = Math.max(0, ...hmac.map((alg) => HMAC_MIN_SECRET_BYTES[alg] ?? 0));
  if (keys.secret !== undefined && new TextEncoder().encode(keys.secret).length < needed)
    problems.push({
      path: ['keys', 'secret'],
      message: `keys.secret must be at least ${needed} bytes for ${hmac.join(', ')} (RFC 7518 §3.2)`,
    });
  return problems;
}
