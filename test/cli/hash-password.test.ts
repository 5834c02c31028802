/**
 * `edgeway hash-password` as a child process: what it prints is a hash the basic-auth
 * policy accepts for the piped password (and for no other), and it refuses empty input
 * and iteration counts the policy would not take.
 */
import { describe, expect, it } from 'vitest';
import { CONSUMER } from '../../src/identity/consumer.ts';
import { create } from '../../src/policies/basic-auth/policy.ts';
import { basicAuthSchema } from '../../src/policies/basic-auth/schema.ts';
import { type PolicyContext, type PolicyDeps, RequestData } from '../../src/policies/contract.ts';
import { runCli } from '../support/cli.ts';

const HASH_LINE = /^\$pbkdf2-sha256\$i=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}\n$/;

/** The user basic-auth accepts with `password`, given `hash` as alice's; undefined when refused. */
async function acceptedUser(hash: string, password: string): Promise<string | undefined> {
  const { inbound } = create(basicAuthSchema.parse({ users: { alice: hash } }), {
    name: 'cli-test',
  } as PolicyDeps);
  const silent = { info() {}, warn() {}, error() {} };
  const ctx = {
    requestId: 'cli-test',
    data: new RequestData(),
    log: silent,
    now: Date.now,
  } as unknown as PolicyContext;
  const authorization = `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`;
  await inbound!(new Request('https://api.example/', { headers: { authorization } }), ctx);
  return ctx.data.get(CONSUMER)?.id;
}

describe.concurrent('edgeway hash-password', () => {
  it('prints a hash of the piped password that basic-auth accepts, for that password only', async () => {
    const { code, stdout, stderr } = await runCli(['hash-password'], { input: 'correct horse battery\n' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(HASH_LINE);
    expect(HASH_LINE.exec(stdout)![1]).toBe('100000');
    const hash = stdout.trim();
    expect(await acceptedUser(hash, 'correct horse battery')).toBe('alice');
    expect(await acceptedUser(hash, 'correct horse battery\n')).toBeUndefined();
    expect(await acceptedUser(hash, 'correct horse')).toBeUndefined();
  });

  it('salts every hash afresh', async () => {
    const [first, second] = await Promise.all([
      runCli(['hash-password'], { input: 'same' }),
      runCli(['hash-password'], { input: 'same' }),
    ]);
    expect(first.stdout).toMatch(HASH_LINE);
    expect(second.stdout).toMatch(HASH_LINE);
    expect(first.stdout).not.toBe(second.stdout);
  });

  it('takes fewer iterations when asked', async () => {
    const { code, stdout } = await runCli(['hash-password', '--iterations', '20000'], { input: 'p4ss' });
    expect(code).toBe(0);
    expect(HASH_LINE.exec(stdout)?.[1]).toBe('20000');
    expect(await acceptedUser(stdout.trim(), 'p4ss')).toBe('alice');
  });

  it('refuses an empty password with exit 1', async () => {
    for (const input of ['', '\n']) {
      const { code, stdout, stderr } = await runCli(['hash-password'], { input });
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe('edgeway: no password on stdin; nothing was hashed\n');
    }
  });

  it('refuses iteration counts basic-auth would not take, as a usage error', async () => {
    const cases = [
      ['100001', 'expected an integer from 10000 to 100000'],
      ['9999', 'expected an integer from 10000 to 100000'],
      ['many', 'expected a whole number from 10000 to 100000'],
    ];
    for (const [iterations, message] of cases) {
      const { code, stdout, stderr } = await runCli(['hash-password', '--iterations', iterations!], {
        input: 'x',
      });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`edgeway: --iterations "${iterations}": ${message}`);
      expect(stderr).toContain('Run "edgeway hash-password --help" for usage.');
    }
  });
});
