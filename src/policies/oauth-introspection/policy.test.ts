/**
 * oauth-introspection in workerd, against a real introspection endpoint on loopback
 * (test/support/oauth-server.ts) that checks the gateway's client credentials, answers
 * per token as each test sets it, misbehaves on request, and counts the introspections
 * of each token, which is how these tests see the cache at work. Each test uses tokens of
 * its own, since the cache lives as long as the isolate.
 */
import { describe, expect, inject, it } from 'vitest';
import { echoOf } from '../../../test/data-plane/helpers/echo.ts';
import { gatewayGuardedBy } from '../../../test/data-plane/helpers/guarded-gateway.ts';
import { policyContext, TestClock } from '../../../test/data-plane/helpers/policy-context.ts';
import { policyDeps } from '../../../test/data-plane/helpers/policy-deps.ts';
import { expectProblem } from '../../../test/data-plane/helpers/problems.ts';
import { expectPassed, expectRefusal } from '../../../test/data-plane/helpers/refusals.ts';
import type { IntrospectionBehaviour } from '../../../test/support/oauth-server-info.ts';
import { CONSUMER } from '../../identity/consumer.ts';
import { create } from './policy.ts';
import { type OauthIntrospectionOptions, oauthIntrospectionSchema } from './schema.ts';

const server = inject('oauthServer');
const clock = new TestClock();
const BASE = {
  endpoint: `${server.url}/introspect`,
  clientId: server.clientId,
  clientSecret: server.clientSecret,
};

const TOKEN_REQUIRED = { status: 401, slug: 'unauthorized', challenge: 'Bearer realm="edgeway"' };
const TOKEN_INVALID = {
  status: 401,
  slug: 'unauthorized',
  challenge: 'Bearer realm="edgeway", error="invalid_token"',
};
const UNAVAILABLE = { status: 503, slug: 'authorization-server-unavailable' };

type Options = Partial<Record<keyof OauthIntrospectionOptions, unknown>>;
type Answer = Record<string, unknown>;

const seconds = (fromNow = 0) => Math.floor(clock.now() / 1000) + fromNow;
const newToken = (label: string) => `${label}.${crypto.randomUUID()}`;

async function control(token: string, change: { answer?: Answer; behaviour?: IntrospectionBehaviour }) {
  const response = await fetch(`${server.url}/control/tokens/${encodeURIComponent(token)}`, {
    method: 'PUT',
    body: JSON.stringify(change),
  });
  expect(response.status).toBe(204);
}

/** A token the server reports with `answer`. */
async function tokenAnswered(label: string, answer: Answer): Promise<string> {
  const token = newToken(label);
  await control(token, { answer });
  return token;
}

async function introspections(token: string): Promise<{ calls: number; clientAuth?: string }> {
  return (await fetch(`${server.url}/control/tokens/${encodeURIComponent(token)}`)).json();
}

function policy(options: Options = {}) {
  const { inbound } = create(oauthIntrospectionSchema.parse({ ...BASE, ...options }), policyDeps('oauth'));
  return async function send(headers: HeadersInit = {}) {
    const ctx = policyContext(clock);
    const result = await inbound!(new Request('https://api.example/orders', { headers }), ctx);
    return { result, consumer: ctx.data.get(CONSUMER), logs: ctx.logs };
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const active = (extra: Answer = {}): Answer => ({
  active: true,
  sub: 'user-42',
  exp: seconds(3600),
  ...extra,
});

describe('oauth-introspection accepts', () => {
  it('an active token, with its subject, scopes and claims as the consumer', async () => {
    const answer = active({
      scope: 'orders:read orders:write',
      aud: ['orders-api', 'other'],
      client_id: 'app',
    });
    const token = await tokenAnswered('active', answer);
    const send = policy({
      audience: 'orders-api',
      forwardHeaders: { id: 'x-consumer-id', scopes: 'x-scopes' },
    });
    const { result, consumer } = await send({ ...bearer(token), 'x-consumer-id': 'forged' });
    const passed = await expectPassed(result);
    expect(consumer).toEqual({
      id: 'user-42',
      name: 'user-42',
      method: 'oauth',
      tags: [],
      metadata: {},
      scopes: ['orders:read', 'orders:write'],
      claims: answer,
    });
    expect(passed.headers.get('authorization')).toBeNull();
    expect(passed.headers.get('x-consumer-id')).toBe('user-42');
    expect(passed.headers.get('x-scopes')).toBe('orders:read orders:write');
    expect(await introspections(token)).toEqual({ calls: 1, clientAuth: 'basic' });
  });

  it('names the consumer by subjectClaim, else username, else client_id', async () => {
    const cases: [Options, Answer, string][] = [
      [{}, { active: true, username: 'alice', client_id: 'app' }, 'alice'],
      [{}, { active: true, client_id: 'billing-service' }, 'billing-service'],
      [{ subjectClaim: 'email' }, { active: true, sub: 'u1', email: 'bo@example.com' }, 'bo@example.com'],
    ];
    for (const [options, answer, id] of cases) {
      const { consumer } = await policy(options)(bearer(await tokenAnswered('subject', answer)));
      expect(consumer?.id).toBe(id);
    }
  });

  it('authenticates to the endpoint with the client credentials in the form when asked', async () => {
    const token = await tokenAnswered('post', active());
    await expectPassed((await policy({ clientAuth: 'client_secret_post' })(bearer(token))).result);
    expect(await introspections(token)).toEqual({ calls: 1, clientAuth: 'post' });
  });

  it('a bare token from another header, which it removes', async () => {
    const token = await tokenAnswered('header', active());
    const send = policy({ token: { header: 'x-access-token', scheme: '' } });
    const passed = await expectPassed((await send({ 'x-access-token': token })).result);
    expect(passed.headers.get('x-access-token')).toBeNull();
  });

  it('requests without a token as anonymous when allowed', async () => {
    const send = policy({ allowAnonymous: true, forwardHeaders: { id: 'x-consumer-id' } });
    const { result, consumer } = await send({ authorization: 'Basic YTpi', 'x-consumer-id': 'forged' });
    const passed = await expectPassed(result);
    expect(consumer).toBeUndefined();
    expect(passed.headers.get('authorization')).toBe('Basic YTpi');
    expect(passed.headers.get('x-consumer-id')).toBeNull();
  });
});

describe('oauth-introspection refuses', () => {
  it('a request without a bearer token', async () => {
    for (const headers of [{}, { authorization: 'Basic YTpi' }] as HeadersInit[]) {
      const detail = await expectRefusal((await policy()(headers)).result, TOKEN_REQUIRED);
      expect(detail).toBe('A bearer token is required.');
    }
  });

  it('every token that is not valid alike, logging why', async () => {
    const cases: [Answer, string][] = [
      [{ active: false }, 'inactive'],
      [active({ exp: seconds(-1) }), 'expired'],
      [active({ nbf: seconds(60) }), 'not-yet-valid'],
      [active({ aud: 'another-api' }), 'wrong-audience'],
      [{ active: true, aud: 'orders-api', exp: seconds(60) }, 'no-subject'],
    ];
    for (const [answer, reason] of cases) {
      const token = await tokenAnswered('invalid', answer);
      const { result, consumer, logs } = await policy({ audience: 'orders-api', allowAnonymous: true })(
        bearer(token),
      );
      expect(await expectRefusal(result, TOKEN_INVALID)).toBe('The bearer token is not valid.');
      expect(consumer).toBeUndefined();
      expect(logs.at(-1)?.fields.reason).toBe(reason);
    }
  });

  it('a malformed bearer credential without asking the endpoint, also when anonymous requests are allowed', async () => {
    for (const authorization of ['Bearer', 'Bearer two words', 'Bearer tab\tinside']) {
      const { result } = await policy({ allowAnonymous: true })({ authorization });
      await expectRefusal(result, TOKEN_INVALID);
    }
  });
});

describe('oauth-introspection caches', () => {
  it('an active result up to maxActiveSeconds', async () => {
    const token = await tokenAnswered('cached', active());
    const send = policy({ cache: { maxActiveSeconds: 60 } });
    await expectPassed((await send(bearer(token))).result);
    await expectPassed((await send(bearer(token))).result);
    expect((await introspections(token)).calls).toBe(1);
    clock.advance(60_000);
    await expectPassed((await send(bearer(token))).result);
    expect((await introspections(token)).calls).toBe(2);
  });

  it("an active result no longer than the token's exp", async () => {
    const token = await tokenAnswered('short', active({ exp: seconds(10) }));
    const send = policy({ cache: { maxActiveSeconds: 300 } });
    await expectPassed((await send(bearer(token))).result);
    clock.advance(9_000);
    await expectPassed((await send(bearer(token))).result);
    expect((await introspections(token)).calls).toBe(1);
    clock.advance(1_000);
    await expectRefusal((await send(bearer(token))).result, TOKEN_INVALID);
    expect((await introspections(token)).calls).toBe(2);
  });

  it('an inactive result for inactiveSeconds', async () => {
    const token = await tokenAnswered('inactive', { active: false });
    const send = policy();
    await expectRefusal((await send(bearer(token))).result, TOKEN_INVALID);
    await expectRefusal((await send(bearer(token))).result, TOKEN_INVALID);
    expect((await introspections(token)).calls).toBe(1);
    clock.advance(30_000);
    await expectRefusal((await send(bearer(token))).result, TOKEN_INVALID);
    expect((await introspections(token)).calls).toBe(2);
  });

  it('nothing when maxActiveSeconds is 0', async () => {
    const token = await tokenAnswered('uncached', active());
    const send = policy({ cache: { maxActiveSeconds: 0 } });
    await expectPassed((await send(bearer(token))).result);
    await expectPassed((await send(bearer(token))).result);
    expect((await introspections(token)).calls).toBe(2);
  });

  it('and makes one introspection for concurrent requests with one token', async () => {
    const token = await tokenAnswered('concurrent', active());
    const send = policy();
    const results = await Promise.all(Array.from({ length: 5 }, () => send(bearer(token))));
    for (const { result } of results) await expectPassed(result);
    expect((await introspections(token)).calls).toBe(1);
  });
});

describe('oauth-introspection when the endpoint fails', () => {
  it('answers 503 with Retry-After by default, whatever the failure', async () => {
    const failures: [IntrospectionBehaviour, string][] = [
      ['error', 'status'],
      ['garbage', 'malformed'],
      ['reset', 'unreachable'],
      ['hang', 'timeout'],
    ];
    for (const [behaviour, reason] of failures) {
      const token = newToken(behaviour);
      await control(token, { answer: active(), behaviour });
      const { result, logs } = await policy({ timeoutMs: 200 })(bearer(token));
      expect((result as Response).headers.get('retry-after')).toBe('5');
      const detail = await expectRefusal(result, UNAVAILABLE);
      expect(detail).toBe('The bearer token cannot be checked right now; try again shortly.');
      expect(logs).toMatchObject([{ level: 'warn', fields: { reason } }]);
    }
  });

  it('answers 503 when the endpoint refuses the gateway’s client credentials', async () => {
    const token = await tokenAnswered('client', active());
    const { result, logs } = await policy({ clientSecret: 'not the secret' })(bearer(token));
    await expectRefusal(result, UNAVAILABLE);
    expect(logs[0]?.fields).toMatchObject({ reason: 'status', status: 401 });
  });

  it('with allow-cached, serves a recent active result until staleIfErrorSeconds run out', async () => {
    const token = await tokenAnswered('stale', active({ exp: seconds(3600) }));
    const send = policy({
      onError: 'allow-cached',
      cache: { maxActiveSeconds: 60, staleIfErrorSeconds: 600 },
    });
    await expectPassed((await send(bearer(token))).result);
    await control(token, { behaviour: 'error' });

    clock.advance(60_000);
    const stale = await send(bearer(token));
    await expectPassed(stale.result);
    expect(stale.consumer?.id).toBe('user-42');
    expect(stale.logs.map((line) => line.message)).toContain('oauth-introspection served a cached result');

    clock.advance(600_000);
    await expectRefusal((await send(bearer(token))).result, UNAVAILABLE);
    expect((await introspections(token)).calls).toBe(3);
  });

  it('with allow-cached, answers 503 for a token it has not seen', async () => {
    const token = newToken('unseen');
    await control(token, { answer: active(), behaviour: 'error' });
    await expectRefusal((await policy({ onError: 'allow-cached' })(bearer(token))).result, UNAVAILABLE);
  });

  it('with allow-anonymous, lets the request pass as anonymous, without the token', async () => {
    const token = newToken('anonymous');
    await control(token, { answer: active(), behaviour: 'error' });
    const { result, consumer } = await policy({ onError: 'allow-anonymous' })(bearer(token));
    const passed = await expectPassed(result);
    expect(consumer).toBeUndefined();
    expect(passed.headers.get('authorization')).toBeNull();
  });
});

describe('oauth-introspection through the gateway', () => {
  it('proxies accepted requests and answers refusals as problem+json with the request id', async () => {
    const options = oauthIntrospectionSchema.parse({ ...BASE, forwardHeaders: { id: 'x-consumer-id' } });
    const gw = await gatewayGuardedBy('oauth-introspection', options);
    // The gateway's clock starts near the epoch; these answers carry no exp.
    const token = await tokenAnswered('gateway', { active: true, sub: 'user-7' });
    expect(
      (await echoOf(await gw.send('/guarded/orders', { headers: bearer(token) }))).headers['x-consumer-id'],
    ).toBe('user-7');

    await expectProblem(await gw.send('/guarded/orders'), 401, 'unauthorized');
    const failing = newToken('gateway-failing');
    await control(failing, { behaviour: 'error' });
    const unavailable = await gw.send('/guarded/orders', { headers: bearer(failing) });
    await expectProblem(unavailable, 503, 'authorization-server-unavailable');
    expect(unavailable.headers.get('retry-after')).toBe('5');
  });
});
