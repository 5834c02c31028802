import { describe, expect, it } from 'vitest';
import { jwtAuthSchema } from './schema.ts';

const RSA_JWK = { kty: 'RSA', kid: 'k1', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri', e: 'AQAB' };
const SECRET = 'a-shared-secret-of-at-least-32-bytes';
const BASE = { issuer: 'https://issuer.example', audience: 'api' };

/** The messages of every issue, as `path: message`. */
function problems(options: Record<string, unknown>): string[] {
  const result = jwtAuthSchema.safeParse({ ...BASE, ...options });
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('jwt-auth options', () => {
  it('fills in safe defaults', () => {
    expect(
      jwtAuthSchema.parse({ ...BASE, algorithms: ['RS256'], jwksUrl: 'https://issuer.example/jwks' }),
    ).toEqual({
      ...BASE,
      algorithms: ['RS256'],
      jwksUrl: 'https://issuer.example/jwks',
      jwks: { cacheTtlSeconds: 300, minRefetchIntervalSeconds: 30, timeoutMs: 3000 },
      clockToleranceSeconds: 30,
      token: { header: 'authorization', scheme: 'Bearer' },
      subjectClaim: 'sub',
      scopesClaim: 'scope',
      allowAnonymous: false,
      forwardHeaders: {},
    });
  });

  it('requires issuer, audience and a non-empty list of algorithms', () => {
    expect(jwtAuthSchema.safeParse({ algorithms: ['RS256'], jwksUrl: 'https://i.example/k' }).success).toBe(
      false,
    );
    expect(problems({ algorithms: [], jwksUrl: 'https://i.example/k' })).toEqual([
      'algorithms: Too small: expected array to have >=1 items',
    ]);
  });

  it('cannot be made to accept "none", in any letter case', () => {
    for (const alg of ['none', 'NONE', 'None', 'rs256'])
      expect(problems({ algorithms: [alg], jwksUrl: 'https://i.example/k' })[0]).toMatch(/^algorithms\.0: /);
  });

  it('takes exactly one key source', () => {
    const both = { algorithms: ['RS256'], jwksUrl: 'https://i.example/k', keys: { publicKeys: [RSA_JWK] } };
    expect(problems(both)).toEqual([': give exactly one key source: jwksUrl or keys']);
    expect(problems({ algorithms: ['RS256'] })).toEqual([': give exactly one key source: jwksUrl or keys']);
  });

  it('matches the key source to the algorithms', () => {
    expect(problems({ algorithms: ['HS256'], jwksUrl: 'https://i.example/k' })).toEqual([
      'algorithms: HS256 need keys.secret: a JWKS serves public keys only',
    ]);
    expect(problems({ algorithms: ['RS256', 'HS256'], keys: { secret: SECRET } })).toEqual([
      'keys.publicKeys: RS256 need keys.publicKeys',
    ]);
    expect(problems({ algorithms: ['HS256'], keys: { publicKeys: [RSA_JWK] } })).toEqual([
      'keys.secret: HS256 need keys.secret',
    ]);
    expect(problems({ algorithms: ['RS256'], keys: { publicKeys: [RSA_JWK], secret: SECRET } })).toEqual([
      'keys.secret: keys.secret is used only by HS256, HS384 and HS512',
    ]);
  });

  it('refuses an HMAC secret shorter than the hash, without quoting it', () => {
    expect(problems({ algorithms: ['HS512'], keys: { secret: SECRET } })).toEqual([
      'keys.secret: keys.secret must be at least 64 bytes for HS512 (RFC 7518 §3.2)',
    ]);
  });

  it('refuses private keys and keys missing their members', () => {
    expect(problems({ algorithms: ['RS256'], keys: { publicKeys: [{ ...RSA_JWK, d: 'secret' }] } })).toEqual([
      'keys.publicKeys.0: Unrecognized key: "d"',
    ]);
    expect(
      problems({ algorithms: ['ES256'], keys: { publicKeys: [{ kty: 'EC', crv: 'P-256', x: 'AQAB' }] } }),
    ).toEqual(['keys.publicKeys.0.y: a EC key needs "y"']);
    expect(
      problems({ algorithms: ['EdDSA'], keys: { publicKeys: [{ kty: 'OKP', crv: 'P-256', x: 'AQAB' }] } }),
    ).toEqual(['keys.publicKeys.0.crv: a OKP key cannot use curve P-256']);
  });

  it('takes an http(s) JWKS URL without userinfo, and bounded JWKS tuning', () => {
    for (const jwksUrl of ['ftp://i.example/k', 'https://user:pw@i.example/k', 'not a url'])
      expect(problems({ algorithms: ['RS256'], jwksUrl })).toEqual([
        'jwksUrl: expected an http or https URL without userinfo',
      ]);
    expect(
      problems({
        algorithms: ['RS256'],
        jwksUrl: 'https://i.example/k',
        jwks: { minRefetchIntervalSeconds: 0 },
      }),
    ).toEqual(['jwks.minRefetchIntervalSeconds: expected an integer from 1 to 3600']);
    expect(
      problems({ algorithms: ['RS256'], jwksUrl: 'https://i.example/k', clockToleranceSeconds: 301 }),
    ).toEqual(['clockToleranceSeconds: expected an integer from 0 to 300']);
  });
});
