import { base64url, exportSPKI } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  bearer,
  expectInvalidToken,
  hmacToken,
  jwksSlot,
  jwtAuth,
  NOW_SECONDS,
  type PolicyClock,
  policyClock,
  refusalReasons,
  type SigningKey,
  signingKey,
  signToken,
  unsecuredToken,
  validClaims,
} from '../../../test/data-plane/helpers/jwt.ts';
import { expectRefusal } from '../../../test/data-plane/helpers/refusals.ts';
import { CONSUMER } from '../../identity/consumer.ts';
import type { InboundPolicy } from '../contract.ts';
import { MAX_TOKEN_LENGTH } from './policy.ts';

const SECRET = 'a-shared-secret-of-at-least-32-bytes';

describe('jwt-auth', () => {
  let rsa: SigningKey;
  let clock: PolicyClock;
  let rsaPolicy: InboundPolicy;

  beforeAll(async () => {
    rsa = await signingKey('RS256');
    rsaPolicy = jwtAuth({ algorithms: ['RS256'], keys: { publicKeys: [rsa.publicJwk] } });
  });
  beforeEach(() => {
    clock = policyClock();
  });

  async function refuses(policy: InboundPolicy, token: string): Promise<void> {
    await expectInvalidToken(await policy(bearer(token), clock.context()));
  }

  describe('a valid token', () => {
    it('passes the request on with the token subject as the consumer', async () => {
      const ctx = clock.context();
      const request = bearer(await signToken(rsa));
      expect(await rsaPolicy(request, ctx)).toBe(request);
      expect(ctx.data.get(CONSUMER)).toEqual({
        method: 'jwt',
        id: 'user-42',
        name: 'user-42',
        scopes: ['orders:read', 'orders:write'],
        claims: validClaims(),
        tags: [],
        metadata: {},
      });
    });

    it('reads the subject and scopes from the claims the options name', async () => {
      const policy = jwtAuth({
        algorithms: ['RS256'],
        keys: { publicKeys: [rsa.publicJwk] },
        subjectClaim: 'client_id',
        scopesClaim: 'scp',
      });
      const ctx = clock.context();
      const token = await signToken(rsa, validClaims({ client_id: 'billing', scp: ['a', 'b'] }));
      await policy(bearer(token), ctx);
      expect(ctx.data.get(CONSUMER)).toMatchObject({ id: 'billing', name: 'billing', scopes: ['a', 'b'] });
    });

    it('is read from the header and scheme the options name', async () => {
      const policy = jwtAuth({
        algorithms: ['RS256'],
        keys: { publicKeys: [rsa.publicJwk] },
        token: { header: 'X-Access-Token', scheme: '' },
      });
      const token = await signToken(rsa);
      const request = new Request('https://gateway.example/', { headers: { 'x-access-token': token } });
      expect(await policy(request, clock.context())).toBe(request);
      await expectInvalidToken(await policy(bearer('x', { 'x-access-token': 'not.a.jwt' }), clock.context()));
    });

    it('signed with the configured HMAC secret passes', async () => {
      const policy = jwtAuth({ algorithms: ['HS256'], keys: { secret: SECRET } });
      const ctx = clock.context();
      expect(await policy(bearer(await hmacToken(SECRET)), ctx)).toBeInstanceOf(Request);
      expect(ctx.data.get(CONSUMER)?.id).toBe('user-42');
      await refuses(policy, await hmacToken(`${SECRET}-but-another-one`));
    });
  });

  describe('without a token', () => {
    it('answers 401 with a challenge that carries no error code (RFC 6750 §3.1)', async () => {
      for (const request of [
        new Request('https://gateway.example/'),
        new Request('https://gateway.example/', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      ]) {
        const refusal = { status: 401, slug: 'unauthorized', challenge: 'Bearer realm="edgeway"' };
        expect(await expectRefusal(await rsaPolicy(request, clock.context()), refusal)).toBe(
          'A bearer token is required.',
        );
      }
    });

    it('passes as anonymous when allowAnonymous is set, but a bad token is still refused', async () => {
      const policy = jwtAuth({
        algorithms: ['RS256'],
        keys: { publicKeys: [rsa.publicJwk] },
        allowAnonymous: true,
        forwardHeaders: { id: 'x-consumer-id' },
      });
      const ctx = clock.context();
      const request = new Request('https://gateway.example/', { headers: { 'x-consumer-id': 'admin' } });
      expect(await policy(request, ctx)).toBe(request);
      expect(ctx.data.get(CONSUMER)).toBeUndefined();
      expect(request.headers.get('x-consumer-id')).toBeNull();

      await expectInvalidToken(await policy(bearer('not-a-token'), clock.context()));
      await expectInvalidToken(await policy(bearer(await hmacToken(SECRET)), clock.context()));
    });
  });

  it('forwards the consumer in the named headers, replacing what the client sent', async () => {
    const policy = jwtAuth({
      algorithms: ['RS256'],
      keys: { publicKeys: [rsa.publicJwk] },
      forwardHeaders: { id: 'x-consumer-id', scopes: 'x-consumer-scopes', name: 'x-consumer-name' },
    });
    const request = bearer(await signToken(rsa), { 'x-consumer-id': 'admin', 'x-consumer-scopes': 'all' });
    const result = (await policy(request, clock.context())) as Request;
    expect(result.headers.get('x-consumer-id')).toBe('user-42');
    expect(result.headers.get('x-consumer-name')).toBe('user-42');
    expect(result.headers.get('x-consumer-scopes')).toBe('orders:read orders:write');
  });

  describe('refuses, with the same answer and the reason logged,', () => {
    it('alg "none" in any letter case, even with every algorithm allowed', async () => {
      const policy = jwtAuth({
        algorithms: ['RS256', 'HS256', 'ES256', 'EdDSA'],
        keys: { publicKeys: [rsa.publicJwk], secret: SECRET },
      });
      for (const alg of ['none', 'NONE', 'nOnE', 'None'])
        await refuses(policy, unsecuredToken({ alg, typ: 'JWT', kid: rsa.kid }));
      await refuses(policy, unsecuredToken({ alg: 'RS256', kid: rsa.kid }));
      expect(refusalReasons(clock)).toEqual([...Array(4).fill('algorithm-not-allowed'), 'signature-invalid']);
    });

    it('an HS256 token whose MAC key is the RSA public key (PEM, JWK, modulus)', async () => {
      const pem = await exportSPKI(rsa.publicKey);
      const forgeries = [
        await hmacToken(pem),
        await hmacToken(`${pem}\n`),
        await hmacToken(JSON.stringify(rsa.publicJwk)),
        await hmacToken(base64url.decode(rsa.publicJwk.n!)),
      ];
      const rsaAndHmac = jwtAuth({
        algorithms: ['RS256', 'HS256'],
        keys: { publicKeys: [rsa.publicJwk], secret: SECRET },
      });
      for (const token of forgeries) await refuses(rsaPolicy, token);
      for (const token of forgeries) await refuses(rsaAndHmac, token);
      expect(refusalReasons(clock)).toEqual([
        ...Array(4).fill('algorithm-not-allowed'),
        ...Array(4).fill('signature-invalid'),
      ]);
    });

    it('a token signed with another key, or tampered with', async () => {
      const other = await signingKey('RS256', rsa.kid);
      await refuses(rsaPolicy, await signToken(other));
      const [header, , signature] = (await signToken(rsa)).split('.');
      const tampered = base64url.encode(JSON.stringify(validClaims({ sub: 'admin' })));
      await refuses(rsaPolicy, `${header}.${tampered}.${signature}`);
      expect(refusalReasons(clock)).toEqual(['signature-invalid', 'signature-invalid']);
    });

    it('expired tokens, beyond the clock tolerance', async () => {
      await refuses(rsaPolicy, await signToken(rsa, validClaims({ exp: NOW_SECONDS - 31 })));
      const withinTolerance = await signToken(rsa, validClaims({ exp: NOW_SECONDS - 29 }));
      expect(await rsaPolicy(bearer(withinTolerance), clock.context())).toBeInstanceOf(Request);
      expect(refusalReasons(clock)).toEqual(['expired']);
    });

    it('tokens not yet valid or issued in the future, beyond the clock tolerance', async () => {
      await refuses(rsaPolicy, await signToken(rsa, validClaims({ nbf: NOW_SECONDS + 31 })));
      await refuses(rsaPolicy, await signToken(rsa, validClaims({ iat: NOW_SECONDS + 31 })));
      const withinTolerance = validClaims({ nbf: NOW_SECONDS + 29, iat: NOW_SECONDS + 29 });
      expect(await rsaPolicy(bearer(await signToken(rsa, withinTolerance)), clock.context())).toBeInstanceOf(
        Request,
      );
      expect(refusalReasons(clock)).toEqual(['claim-invalid', 'issued-in-future']);
    });

    it('tokens without exp, or with a wrong or missing issuer or audience', async () => {
      for (const claims of [
        { exp: undefined },
        { iss: 'https://attacker.example' },
        { iss: undefined },
        { aud: 'https://another-api.example' },
        { aud: undefined },
        { sub: undefined },
        { sub: '' },
      ])
        await refuses(rsaPolicy, await signToken(rsa, validClaims(claims)));
      expect(refusalReasons(clock)).toEqual([
        ...Array(5).fill('claim-invalid'),
        'subject-missing',
        'subject-missing',
      ]);
    });

    it('accepts any audience of a list, in the token or in the options', async () => {
      const policy = jwtAuth({
        algorithms: ['RS256'],
        keys: { publicKeys: [rsa.publicJwk] },
        audience: ['https://other.example', AUDIENCE],
      });
      const token = await signToken(rsa, validClaims({ aud: ['https://third.example', AUDIENCE] }));
      expect(await policy(bearer(token), clock.context())).toBeInstanceOf(Request);
    });

    it('tokens over the length bound, and ones that are not JWTs, without throwing', async () => {
      const long = `${await signToken(rsa, validClaims({ pad: 'x'.repeat(MAX_TOKEN_LENGTH) }))}`;
      for (const token of [long, 'abc', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.e30.', '....', 'Zm9v.YmFy.YmF6'])
        await refuses(rsaPolicy, token);
      await expectInvalidToken(
        await rsaPolicy(
          new Request('https://gateway.example/', { headers: { authorization: 'Bearer a b' } }),
          clock.context(),
        ),
      );
      expect(refusalReasons(clock)[0]).toBe('token-too-long');
      expect(refusalReasons(clock)).toHaveLength(7);
    });
  });

  describe('with keys from a JWKS URL', () => {
    it('refuses a hostile kid without fetching anything', async () => {
      const slot = jwksSlot();
      await slot.publish(rsa);
      const policy = jwtAuth({ algorithms: ['RS256'], jwksUrl: slot.jwksUrl });
      expect(await policy(bearer(await signToken(rsa)), clock.context())).toBeInstanceOf(Request);
      // Past the minimum refetch interval, an unknown (but acceptable) kid would be fetched for.
      clock.advance(60_000);
      for (const kid of ['../../etc/passwd', "' OR 1=1 --", 'k'.repeat(10 * 1024), 'a'.repeat(257), 42])
        await refuses(policy, await signToken(rsa, validClaims(), { kid }));
      expect(await slot.hits()).toBe(1);
      expect(refusalReasons(clock)).toEqual(Array(5).fill('kid-not-acceptable'));
    });

    it('never follows jku or x5u, nor uses an embedded jwk', async () => {
      const slot = jwksSlot();
      await slot.publish(rsa);
      const attacker = await signingKey('RS256');
      const policy = jwtAuth({ algorithms: ['RS256'], jwksUrl: slot.jwksUrl });
      const pointers = [
        { jku: slot.urlOf('/attacker.json') },
        { x5u: slot.urlOf('/attacker.pem') },
        { jwk: attacker.publicJwk },
      ];
      for (const header of pointers) {
        await refuses(policy, await signToken(attacker, validClaims(), { ...header, kid: rsa.kid }));
        await refuses(policy, await signToken(attacker, validClaims(), { ...header, kid: undefined }));
      }
      // A token the issuer signed still passes: the headers are ignored, not obeyed.
      const legit = await signToken(rsa, validClaims(), { jku: slot.urlOf('/attacker.json') });
      expect(await policy(bearer(legit), clock.context())).toBeInstanceOf(Request);
      expect(await slot.hits('/attacker.json')).toBe(0);
      expect(await slot.hits('/attacker.pem')).toBe(0);
    });
  });
});
