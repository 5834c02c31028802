/**
 * What the jwt-auth tests need: signing keys made with jose, tokens signed with them (or
 * forged: `alg: none`, an HMAC over a public key's bytes), a slot on the JWKS server
 * (test/support/jwks-server.ts) to publish keys in and count fetches, and contexts
 * (policy-context.ts) sharing a clock the test moves and waitUntil work it can wait for.
 */
import { base64url, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { expect, inject } from 'vitest';
import type { InboundPolicy } from '../../../src/policies/contract.ts';
import { create } from '../../../src/policies/jwt-auth/policy.ts';
import { jwtAuthSchema } from '../../../src/policies/jwt-auth/schema.ts';
import type {} from '../../support/jwks-server-url.ts';
import { uniqueName } from './deployments.ts';
import type { LogLine } from './harness.ts';
import { policyContext, TestClock, type TestPolicyContext } from './policy-context.ts';
import { policyDeps } from './policy-deps.ts';
import { expectRefusal } from './refusals.ts';

export const ISSUER = 'https://issuer.example';
export const AUDIENCE = 'https://api.example';
/** The gateway clock the tests start at: 2030-01-01T00:00:00Z. */
export const NOW_MS = Date.UTC(2030, 0, 1);
export const NOW_SECONDS = NOW_MS / 1000;

export interface SigningKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function signingKey(alg: string, kid = uniqueName('key')): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicKey, publicJwk };
}

/** Claims a valid token carries: issuer, audience, subject, scope, issued now, expiring in 10 minutes. */
export function validClaims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-42',
    scope: 'orders:read orders:write',
    iat: NOW_SECONDS,
    exp: NOW_SECONDS + 600,
    ...overrides,
  };
}

/** Claims are taken as given: a key set to undefined is left out of the token. */
export function signToken(
  key: SigningKey,
  claims: JWTPayload = validClaims(),
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

/** An HS* token whose MAC key is `secret`, whatever it is (a shared secret, a public key's bytes). */
export function hmacToken(
  secret: string | Uint8Array,
  claims: JWTPayload = validClaims(),
  header: Record<string, unknown> = {},
): Promise<string> {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header }).sign(bytes);
}

/** A token with any header and no signature, as `alg: none` tokens are (RFC 7519 §6.1). */
export function unsecuredToken(header: Record<string, unknown>, claims: JWTPayload = validClaims()): string {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${encode(header)}.${encode(claims)}.`;
}

export interface JwksSlot {
  /** Where the slot serves its JWKS. */
  readonly jwksUrl: string;
  /** Another path of the slot: 404, but its fetches are counted. */
  urlOf(path: string): string;
  publish(...keys: readonly SigningKey[]): Promise<void>;
  behave(behaviour: 'serve' | 'error' | 'hang' | 'garbage'): Promise<void>;
  /** How many GETs the path of this slot has had. */
  hits(path?: string): Promise<number>;
}

export function jwksSlot(): JwksSlot {
  const base = inject('jwksServer');
  const slot = uniqueName('slot');
  const put = async (action: string, body: string) => {
    const response = await fetch(`${base}/control/${slot}/${action}`, { method: 'PUT', body });
    if (response.status !== 204) throw new Error(`JWKS server: ${response.status} ${await response.text()}`);
  };
  return {
    jwksUrl: `${base}/${slot}/jwks.json`,
    urlOf: (path) => `${base}/${slot}${path}`,
    publish: (...keys) => put('keys', JSON.stringify({ keys: keys.map((key) => key.publicJwk) })),
    behave: (behaviour) => put('behaviour', behaviour),
    async hits(path = '/jwks.json') {
      const counts = (await (await fetch(`${base}/control/${slot}/hits`)).json()) as Record<string, number>;
      return counts[path] ?? 0;
    },
  };
}

export interface PolicyClock {
  /** A fresh context for one request; all share the clock and the waitUntil work. */
  context(): TestPolicyContext;
  /** The log lines of every context, in the order the contexts were made. */
  readonly logs: LogLine[];
  advance(ms: number): void;
  /** Waits for the work requests handed to waitUntil (background JWKS fetches). */
  settle(): Promise<void>;
}

export function policyClock(): PolicyClock {
  const clock = new TestClock(NOW_MS);
  const contexts: TestPolicyContext[] = [];
  const pending: Promise<unknown>[] = [];
  return {
    context() {
      const ctx = {
        ...policyContext(clock),
        waitUntil: (promise: Promise<unknown>) => void pending.push(promise),
      };
      contexts.push(ctx);
      return ctx;
    },
    get logs() {
      return contexts.flatMap((ctx) => ctx.logs);
    },
    advance: (ms) => clock.advance(ms),
    async settle() {
      while (pending.length > 0) await pending.shift();
    },
  };
}

/** A jwt-auth policy's inbound side, for ISSUER and AUDIENCE unless `options` says otherwise. */
export function jwtAuth(options: Record<string, unknown>): InboundPolicy {
  return create(jwtAuthSchema.parse({ issuer: ISSUER, audience: AUDIENCE, ...options }), policyDeps('jwt'))
    .inbound!;
}

export function bearer(token: string, headers: Record<string, string> = {}): Request {
  return new Request('https://gateway.example/orders', {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
}

/** Asserts the 401 a refused token gets: one challenge and one detail, whatever was wrong. */
export async function expectInvalidToken(result: Request | Response): Promise<void> {
  const challenge = 'Bearer realm="edgeway", error="invalid_token"';
  expect(await expectRefusal(result, { status: 401, slug: 'unauthorized', challenge })).toBe(
    'The bearer token is not valid.',
  );
}

/** The reasons the policy logged for the tokens it refused, in order. */
export function refusalReasons(clock: PolicyClock): unknown[] {
  return clock.logs
    .filter((line) => line.message === 'jwt-auth refused a token')
    .map((line) => line.fields.reason);
}
