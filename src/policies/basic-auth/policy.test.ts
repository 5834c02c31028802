/**
 * basic-auth in workerd: who it accepts, how it refuses (401 with a Basic challenge),
 * anonymous requests, what it spends on a password (the PBKDF2 derivations are counted
 * on the real Web Crypto), and the hashes its schema accepts.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { echoOf } from '../../../test/data-plane/helpers/echo.ts';
import { gatewayGuardedBy } from '../../../test/data-plane/helpers/guarded-gateway.ts';
import { policyContext, TestClock } from '../../../test/data-plane/helpers/policy-context.ts';
import { policyDeps } from '../../../test/data-plane/helpers/policy-deps.ts';
import { expectProblem } from '../../../test/data-plane/helpers/problems.ts';
import { expectPassed, expectRefusal } from '../../../test/data-plane/helpers/refusals.ts';
import { bytesToBase64 } from '../../config/base64.ts';
import { hashPassword, PASSWORD_HASH_MESSAGE, PBKDF2_MIN_ITERATIONS } from '../../config/password-hash.ts';
import { CONSUMER } from '../../identity/consumer.ts';
import { create } from './policy.ts';
import { type BasicAuthOptions, basicAuthSchema } from './schema.ts';

const CHALLENGE = 'Basic realm="edgeway", charset="UTF-8"';
const UNAUTHORIZED = { status: 401, slug: 'unauthorized', challenge: CHALLENGE };

function basic(user: string, password: string): string {
  return `Basic ${bytesToBase64(new TextEncoder().encode(`${user}:${password}`))}`;
}

const clock = new TestClock();
let aliceHash: string;

async function send(options: Partial<Record<keyof BasicAuthOptions, unknown>>, headers: HeadersInit = {}) {
  const { inbound } = create(basicAuthSchema.parse(options), policyDeps('login'));
  const ctx = policyContext(clock);
  const result = await inbound!(new Request('https://api.example/orders', { headers }), ctx);
  return { result, consumer: ctx.data.get(CONSUMER), logs: ctx.logs };
}

beforeAll(async () => {
  aliceHash = await hashPassword('correct horse');
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('basic-auth', () => {
  it('accepts a listed user with the right password, as the consumer, without passing the password on', async () => {
    const { result, consumer } = await send(
      { users: { alice: aliceHash }, forwardHeaders: { id: 'x-consumer-id' } },
      { authorization: basic('alice', 'correct horse'), 'x-consumer-id': 'mallory' },
    );
    const passed = await expectPassed(result);
    expect(consumer).toEqual({
      id: 'alice',
      name: 'alice',
      method: 'basic',
      tags: [],
      metadata: {},
      scopes: [],
    });
    expect(passed.headers.get('authorization')).toBeNull();
    expect(passed.headers.get('x-consumer-id')).toBe('alice');
  });

  it('keeps the Authorization header when stripCredentials is false', async () => {
    const authorization = basic('alice', 'correct horse');
    const { result } = await send(
      { users: { alice: aliceHash }, stripCredentials: false },
      { authorization },
    );
    expect((await expectPassed(result)).headers.get('authorization')).toBe(authorization);
  });

  it('accepts UTF-8 user names and passwords', async () => {
    const hash = await hashPassword('pässwörd', PBKDF2_MIN_ITERATIONS);
    const { result, consumer } = await send(
      { users: { jürgen: hash } },
      { authorization: basic('jürgen', 'pässwörd') },
    );
    await expectPassed(result);
    expect(consumer?.id).toBe('jürgen');
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const options = { users: { alice: aliceHash }, realm: 'orders' };
    const challenge = 'Basic realm="orders", charset="UTF-8"';
    const wrong = await send(options, { authorization: basic('alice', 'wrong horse') });
    const unknown = await send(options, { authorization: basic('bob', 'correct horse') });
    const wrongDetail = await expectRefusal(wrong.result, { ...UNAUTHORIZED, challenge });
    const unknownDetail = await expectRefusal(unknown.result, { ...UNAUTHORIZED, challenge });
    expect(wrongDetail).toBe('The user name or password is not correct.');
    expect(unknownDetail).toBe(wrongDetail);
    expect(wrong.consumer).toBeUndefined();
    expect(unknown.consumer).toBeUndefined();
  });

  it('spends a full derivation on an unknown user name, so timing does not tell which names exist', async () => {
    const derivations = vi.spyOn(crypto.subtle, 'deriveBits');
    const weaker = await hashPassword('other', PBKDF2_MIN_ITERATIONS);
    derivations.mockClear();
    await send({ users: { alice: aliceHash, carol: weaker } }, { authorization: basic('bob', 'guess') });
    expect(derivations).toHaveBeenCalledTimes(1);
    expect(derivations.mock.calls[0]![0]).toMatchObject({ name: 'PBKDF2', iterations: 100_000 });
  });

  it('refuses malformed Basic credentials, also when anonymous requests are allowed', async () => {
    const notUtf8 = `Basic ${bytesToBase64(new Uint8Array([0x61, 0x3a, 0xff]))}`;
    const noColon = `Basic ${btoa('alice')}`;
    for (const authorization of ['Basic', 'Basic !!!', 'basic a b', noColon, notUtf8]) {
      const { result } = await send({ users: { alice: aliceHash }, allowAnonymous: true }, { authorization });
      const detail = await expectRefusal(result, UNAUTHORIZED);
      expect(detail).toBe('The Authorization header does not hold valid Basic credentials.');
    }
  });

  it('asks for credentials when a request has none, or only those of another scheme', async () => {
    for (const headers of [{}, { authorization: 'Bearer abc.def' }] as HeadersInit[]) {
      const { result } = await send({ users: { alice: aliceHash } }, headers);
      await expectRefusal(result, UNAUTHORIZED);
    }
  });

  it('lets such a request pass anonymous when allowed, stripping claimed identity headers only', async () => {
    const options = {
      users: { alice: aliceHash },
      allowAnonymous: true,
      forwardHeaders: { id: 'x-consumer-id' },
    };
    const { result, consumer } = await send(options, {
      authorization: 'Bearer abc.def',
      'x-consumer-id': 'mallory',
    });
    const passed = await expectPassed(result);
    expect(consumer).toBeUndefined();
    expect(passed.headers.get('x-consumer-id')).toBeNull();
    expect(passed.headers.get('authorization')).toBe('Bearer abc.def');
  });

  it('remembers a verified password for a minute, and only that password', async () => {
    const hash = await hashPassword('tr0ub4dor', PBKDF2_MIN_ITERATIONS);
    const derivations = vi.spyOn(crypto.subtle, 'deriveBits');
    const options = { users: { dave: hash } };
    const right = { authorization: basic('dave', 'tr0ub4dor') };

    await expectPassed((await send(options, right)).result);
    expect(derivations).toHaveBeenCalledTimes(1);
    await expectPassed((await send(options, right)).result);
    expect(derivations).toHaveBeenCalledTimes(1);

    const wrong = await send(options, { authorization: basic('dave', 'tr0ub4dor!') });
    await expectRefusal(wrong.result, UNAUTHORIZED);
    expect(derivations).toHaveBeenCalledTimes(2);

    clock.advance(60_000);
    await expectPassed((await send(options, right)).result);
    expect(derivations).toHaveBeenCalledTimes(3);
  });

  it('forgets a password once the hash it was verified against changes', async () => {
    const right = { authorization: basic('erin', 'same password') };
    await expectPassed((await send({ users: { erin: await hashPassword('same password') } }, right)).result);
    const changed = await send({ users: { erin: await hashPassword('new password') } }, right);
    await expectRefusal(changed.result, UNAUTHORIZED);
  });
});

describe('basic-auth options', () => {
  // A map key's issues are nested in an invalid_key issue; the compiler reports the inner ones.
  const issueMessages = (options: unknown) =>
    basicAuthSchema
      .safeParse(options)
      .error?.issues.flatMap((issue) => (issue.code === 'invalid_key' ? issue.issues : [issue]))
      .map((issue) => issue.message) ?? [];

  it('accepts password hashes of 10,000 to 100,000 PBKDF2 iterations only', () => {
    const at = (iterations: number) => aliceHash.replace('$i=100000$', `$i=${iterations}$`);
    expect(issueMessages({ users: { alice: at(100_000) } })).toEqual([]);
    expect(issueMessages({ users: { alice: at(10_000) } })).toEqual([]);
    for (const hash of [at(100_001), at(9_999), 'correct horse', aliceHash.slice(0, -4), `${aliceHash}=`]) {
      expect(issueMessages({ users: { alice: hash } })).toEqual([PASSWORD_HASH_MESSAGE]);
    }
  });

  it('refuses user names with a colon, no users, and unknown options', () => {
    expect(issueMessages({ users: { 'a:b': aliceHash } })).toEqual([
      'expected a user name of at least one character, without ":" or control characters',
    ]);
    expect(issueMessages({ users: {} })).toEqual(['expected at least one user']);
    expect(issueMessages({ users: { alice: aliceHash }, password: 'x' })).toHaveLength(1);
  });
});

describe('basic-auth through the gateway', () => {
  it('answers problem+json with the request id, and proxies accepted requests', async () => {
    const options = basicAuthSchema.parse({
      users: { alice: aliceHash },
      forwardHeaders: { name: 'x-user' },
    });
    const gw = await gatewayGuardedBy('basic-auth', options);
    const refused = await gw.send('/guarded/orders');
    await expectProblem(refused, 401, 'unauthorized');
    expect(refused.headers.get('www-authenticate')).toBe(CHALLENGE);

    const echo = await echoOf(
      await gw.send('/guarded/orders', { headers: { authorization: basic('alice', 'correct horse') } }),
    );
    expect(echo.headers['x-user']).toBe('alice');
    expect(echo.headers.authorization).toBeUndefined();
  });
});
