import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bearer,
  expectInvalidToken,
  type JwksSlot,
  jwksSlot,
  jwtAuth,
  type PolicyClock,
  policyClock,
  refusalReasons,
  type SigningKey,
  signingKey,
  signToken,
} from '../../../test/data-plane/helpers/jwt.ts';
import type { InboundPolicy } from '../contract.ts';

const TTL_SECONDS = 300;
const MIN_REFETCH_SECONDS = 30;

describe('jwt-auth keys from a JWKS URL', () => {
  let keyA: SigningKey;
  let keyB: SigningKey;
  let ecKey: SigningKey;
  let slot: JwksSlot;
  let clock: PolicyClock;
  let policy: InboundPolicy;

  beforeAll(async () => {
    [keyA, keyB, ecKey] = await Promise.all([signingKey('RS256'), signingKey('RS256'), signingKey('ES256')]);
  });
  beforeEach(async () => {
    slot = jwksSlot();
    clock = policyClock();
    policy = jwtAuth({
      algorithms: ['RS256', 'ES256'],
      jwksUrl: slot.jwksUrl,
      jwks: { cacheTtlSeconds: TTL_SECONDS, minRefetchIntervalSeconds: MIN_REFETCH_SECONDS, timeoutMs: 200 },
    });
  });

  /** Sends a request with a token from `key`; true when the policy let it through. */
  async function accepts(key: SigningKey): Promise<boolean> {
    const result = await policy(bearer(await signToken(key)), clock.context());
    await clock.settle();
    return result instanceof Request;
  }

  it('fetches the keys once and verifies tokens of every key type in them', async () => {
    await slot.publish(keyA, ecKey);
    expect(await accepts(keyA)).toBe(true);
    expect(await accepts(ecKey)).toBe(true);
    expect(await accepts(keyA)).toBe(true);
    expect(await slot.hits()).toBe(1);
  });

  it('shares one fetch among requests that arrive while it runs', async () => {
    await slot.publish(keyA);
    const token = await signToken(keyA);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => policy(bearer(token), clock.context())),
    );
    expect(results.every((result) => result instanceof Request)).toBe(true);
    expect(await slot.hits()).toBe(1);
  });

  it('picks up a rotated key when a token names its kid', async () => {
    await slot.publish(keyA);
    expect(await accepts(keyA)).toBe(true);
    await slot.publish(keyB);
    clock.advance(MIN_REFETCH_SECONDS * 1000);
    expect(await accepts(keyB)).toBe(true);
    expect(await slot.hits()).toBe(2);
  });

  it('refetches for unknown kids at most once per minimum interval', async () => {
    await slot.publish(keyA);
    expect(await accepts(keyA)).toBe(true);
    clock.advance(MIN_REFETCH_SECONDS * 1000);
    for (let i = 0; i < 5; i++) expect(await accepts(keyB)).toBe(false);
    expect(await slot.hits()).toBe(2);
    clock.advance(MIN_REFETCH_SECONDS * 1000 - 1);
    expect(await accepts(keyB)).toBe(false);
    expect(await slot.hits()).toBe(2);
    clock.advance(1);
    expect(await accepts(keyB)).toBe(false);
    expect(await slot.hits()).toBe(3);
    expect(refusalReasons(clock)).toEqual(Array(7).fill('unknown-key'));
  });

  it('refreshes keys older than the TTL in the background, serving the cached ones meanwhile', async () => {
    await slot.publish(keyA);
    expect(await accepts(keyA)).toBe(true);
    await slot.publish(keyB);
    clock.advance(TTL_SECONDS * 1000);
    expect(await accepts(keyA)).toBe(true);
    expect(await slot.hits()).toBe(2);
    expect(await accepts(keyA)).toBe(false);
    expect(await accepts(keyB)).toBe(true);
  });

  for (const behaviour of ['error', 'hang', 'garbage'] as const) {
    it(`keeps verifying with the last-known-good keys while the endpoint answers ${behaviour}`, async () => {
      await slot.publish(keyA);
      expect(await accepts(keyA)).toBe(true);
      await slot.behave(behaviour);
      clock.advance(TTL_SECONDS * 1000);
      expect(await accepts(keyA)).toBe(true);
      expect(await slot.hits()).toBe(2);
      clock.advance(MIN_REFETCH_SECONDS * 1000);
      expect(await accepts(keyB)).toBe(false);
      expect(await accepts(keyA)).toBe(true);
      expect(await slot.hits()).toBe(3);
      const failures = clock.logs.filter((line) => line.message.startsWith('JWKS fetch failed'));
      expect(failures.map((line) => line.fields.hasKeys)).toEqual([true, true]);
    });
  }

  it('refuses tokens while no keys were ever fetched, retrying once per minimum interval', async () => {
    await slot.behave('error');
    await expectInvalidToken(await policy(bearer(await signToken(keyA)), clock.context()));
    await expectInvalidToken(await policy(bearer(await signToken(keyA)), clock.context()));
    expect(await slot.hits()).toBe(1);
    await slot.publish(keyA);
    clock.advance(MIN_REFETCH_SECONDS * 1000);
    expect(await accepts(keyA)).toBe(true);
    expect(refusalReasons(clock)).toEqual(['keys-unavailable', 'keys-unavailable']);
  });

  it('shares its cache with every policy instance that names the same URL', async () => {
    await slot.publish(keyA);
    expect(await accepts(keyA)).toBe(true);
    const reloaded = jwtAuth({ algorithms: ['RS256'], jwksUrl: slot.jwksUrl });
    expect(await reloaded(bearer(await signToken(keyA)), clock.context())).toBeInstanceOf(Request);
    expect(await slot.hits()).toBe(1);
  });
});
