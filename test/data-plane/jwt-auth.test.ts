import { beforeAll, describe, expect, it } from 'vitest';
import { jwtAuthSchema } from '../../src/policies/jwt-auth/schema.ts';
import { proxyTo } from './helpers/deployments.ts';
import { echoOf } from './helpers/echo.ts';
import { createHarness, type Harness } from './helpers/harness.ts';
import {
  AUDIENCE,
  ISSUER,
  jwksSlot,
  type SigningKey,
  signingKey,
  signToken,
  validClaims,
} from './helpers/jwt.ts';
import { expectProblem } from './helpers/problems.ts';

/** The harness clock starts at 1,000,000 ms; tokens are issued then. */
const ISSUED_AT = 1_000;

describe('jwt-auth through the gateway', () => {
  let gw: Harness;
  let key: SigningKey;

  beforeAll(async () => {
    key = await signingKey('ES256');
    const slot = jwksSlot();
    await slot.publish(key);
    gw = createHarness();
    await gw.deploy([{ path: '/orders', inbound: ['jwt'], handler: proxyTo('echo') }], {
      policies: {
        jwt: {
          type: 'jwt-auth',
          mode: 'enforce',
          options: jwtAuthSchema.parse({
            issuer: ISSUER,
            audience: AUDIENCE,
            algorithms: ['ES256'],
            jwksUrl: slot.jwksUrl,
            forwardHeaders: { id: 'x-consumer-id', scopes: 'x-consumer-scopes' },
          }),
        },
      },
    });
  });

  it('proxies a request with a valid token, naming the consumer to the upstream', async () => {
    const token = await signToken(key, validClaims({ iat: ISSUED_AT, exp: ISSUED_AT + 600 }));
    const echo = await echoOf(
      await gw.send('/orders', { headers: { authorization: `Bearer ${token}`, 'x-consumer-id': 'admin' } }),
    );
    expect(echo.headers['x-consumer-id']).toBe('user-42');
    expect(echo.headers['x-consumer-scopes']).toBe('orders:read orders:write');
    expect(echo.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('answers 401 problem+json with a Bearer challenge, and never reaches the upstream', async () => {
    const missing = await gw.send('/orders');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="edgeway"');
    expect(await expectProblem(missing, 401, 'unauthorized')).toMatchObject({
      detail: 'A bearer token is required.',
    });

    const expired = await signToken(key, validClaims({ iat: ISSUED_AT - 3_600, exp: ISSUED_AT - 60 }));
    const refused = await gw.send('/orders', { headers: { authorization: `Bearer ${expired}` } });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="edgeway", error="invalid_token"');
    expect(await expectProblem(refused, 401, 'unauthorized')).toMatchObject({
      detail: 'The bearer token is not valid.',
    });
    expect(gw.logs.find((line) => line.message === 'jwt-auth refused a token')?.fields).toMatchObject({
      policy: 'jwt',
      reason: 'expired',
      requestId: refused.headers.get('x-request-id'),
    });
  });
});
