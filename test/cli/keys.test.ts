/**
 * `edgeway keys` against a real control plane (workerd, D1, KV): issuing a key (printed
 * once, with a valid checksum), listing, rolling with a grace period and revoking, and
 * each refusal as one readable line with its exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.ts';
import { parseApiKey } from '../../src/config/api-keys.ts';
import { type CliRun, connectionFlags, runCli } from '../support/cli.ts';
import { ADMIN_TOKEN, startControlPlane, type TestControlPlane } from '../support/control-plane.ts';

let controlPlane: TestControlPlane;

beforeAll(async () => {
  controlPlane = await startControlPlane();
  await cli(['consumers', 'create', 'acme']);
});
afterAll(() => controlPlane?.close());

function cli(args: readonly string[], token = ADMIN_TOKEN): Promise<CliRun> {
  return runCli([...args, ...connectionFlags(controlPlane.url, token)]);
}

/** The key a `keys create` or `keys roll` printed. */
function printedKey(stdout: string): string {
  return /^ {2}(ew_\S+)$/m.exec(stdout)![1]!;
}

async function createKey(...options: string[]): Promise<{ id: string; key: string }> {
  const { stdout } = await cli(['keys', 'create', 'acme', '--json', ...options]);
  return JSON.parse(stdout);
}

describe('keys', () => {
  it('issues a live key, prints it once with a warning, and lists it by hint', async () => {
    const created = await cli(['keys', 'create', 'acme']);
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('');
    const key = printedKey(created.stdout);
    expect(parseApiKey(key)).toBe('live');
    const id = /^Key (key_[0-9a-z]{26}) for acme \(live, does not expire\):$/m.exec(created.stdout)![1]!;
    expect(created.stdout).toContain('\nStore it now: it will not be shown again.\n');

    const listed = await cli(['keys', 'list', 'acme']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).toMatch(/^ID +SET +HINT +STATE +CREATED +EXPIRES$/m);
    expect(listed.stdout).toContain(`${id}  live  ${key.slice(0, 12)}...  active`);
    expect((await cli(['consumers', 'show', 'acme'])).stdout).toContain(id);
  });

  it('issues a test key with an expiry, and prints JSON with --json', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await cli(['keys', 'create', 'acme', '--test', '--expires-at', expiresAt]);
    expect(created.code).toBe(0);
    expect(parseApiKey(printedKey(created.stdout))).toBe('test');
    expect(created.stdout).toMatch(/\(test, expires \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\):/);

    const json = await createKey('--test');
    expect(json).toMatchObject({ consumer: 'acme', keySet: 'test', state: 'active' });
    expect(parseApiKey(json.key)).toBe('test');
    const listed = JSON.parse((await cli(['keys', 'list', 'acme', '--json'])).stdout);
    expect(listed).toContainEqual(expect.objectContaining({ id: json.id, keySet: 'test' }));
    expect(JSON.stringify(listed)).not.toContain(json.key);
  });

  it('rolls a key: a new key once, and the old one working for the grace period', async () => {
    const old = await createKey();
    const rolled = await cli(['keys', 'roll', old.id, '--grace', '12h']);
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toMatch(
      new RegExp(
        `^Rolled ${old.id} into key_[0-9a-z]{26}; it keeps working until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\.\\n`,
      ),
    );
    const replacement = printedKey(rolled.stdout);
    expect(parseApiKey(replacement)).toBe('live');
    expect(replacement).not.toBe(old.key);
    expect(rolled.stdout).toContain('Store it now: it will not be shown again.');
    expect((await cli(['keys', 'list', 'acme'])).stdout).toMatch(new RegExp(`^${old.id} .* expiring `, 'm'));

    const again = await cli(['keys', 'roll', old.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^edgeway: API key already rolled \(409\): That key was already rolled into key_/,
    );
  });

  it('rolls with no grace period, stopping the old key now', async () => {
    const old = await createKey();
    const rolled = await cli(['keys', 'roll', old.id, '--grace', '0']);
    expect(rolled.stdout).toContain(`; it stopped working now.\n`);
    expect(JSON.parse((await cli(['keys', 'list', 'acme', '--json'])).stdout)).toContainEqual(
      expect.objectContaining({ id: old.id, state: 'expired' }),
    );
  });

  it('revokes a key, after which it cannot be rolled', async () => {
    const key = await createKey();
    expect(await cli(['keys', 'revoke', key.id])).toEqual({
      code: 0,
      stdout: `Revoked key ${key.id}; gateways refuse it once their cached copy of it expires.\n`,
      stderr: '',
    });
    expect((await cli(['keys', 'list', 'acme'])).stdout).toMatch(new RegExp(`^${key.id} .* revoked `, 'm'));
    const rolled = await cli(['keys', 'roll', key.id]);
    expect(rolled.code).toBe(1);
    expect(rolled.stderr).toBe(
      'edgeway: API key revoked (409): That key is revoked and cannot be rolled; create a new key for its consumer instead.\n',
    );
  });

  it('says when the consumer or the key does not exist', async () => {
    const consumer = await cli(['keys', 'create', 'nobody']);
    expect(consumer.code).toBe(1);
    expect(consumer.stderr).toBe('edgeway: Consumer not found (404): No consumer has that name.\n');
    expect((await cli(['keys', 'list', 'nobody'])).code).toBe(1);
    const key = await cli(['keys', 'revoke', 'key_00000000000000000000000000']);
    expect(key.code).toBe(1);
    expect(key.stderr).toBe('edgeway: API key not found (404): No API key has that id.\n');
  });

  it('says when the consumer has no keys', async () => {
    await cli(['consumers', 'create', 'keyless']);
    expect((await cli(['keys', 'list', 'keyless'])).stdout).toBe(
      'keyless has no keys: edgeway keys create keyless issues one.\n',
    );
  });

  it.each([
    [['keys', 'create'], 'missing argument <target>'],
    [['keys', 'create', 'has space'], '"has space": a consumer name is 1-64 letters'],
    [['keys', 'create', 'acme', '--expires-at', 'soon'], '--expires-at: an expiry is an ISO 8601 time'],
    [
      ['keys', 'create', 'acme', '--expires-at', '2020-01-01T00:00:00Z'],
      '--expires-at: an expiry is in the future',
    ],
    [['keys', 'create', 'acme', '--grace', '1d'], '--grace does not apply to "create"'],
    [['keys', 'roll', 'latest'], '"latest" is not a key id'],
    [
      ['keys', 'roll', 'key_00000000000000000000000000', '--grace', '1w'],
      '--grace "1w": expected a duration',
    ],
    [
      ['keys', 'roll', 'key_00000000000000000000000000', '--grace', '31d'],
      '--grace "31d": the grace period is at most 2592000 seconds (30 days)',
    ],
    [['keys', 'revoke', 'key_00000000000000000000000000', '--json'], '--json does not apply to "revoke"'],
    [['keys', 'drop', 'acme'], 'unknown action "drop"; expected create, list, roll or revoke'],
  ])('refuses %j as a usage error, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`edgeway: ${message}`);
    expect(stderr).toContain('Run "edgeway keys --help" for usage.');
  });

  it('says when the token may not issue keys, or is refused', async () => {
    const viewer = await controlPlane.createToken('viewer');
    const refused = await cli(['keys', 'create', 'acme'], viewer);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'edgeway: Role too low (403): This needs the admin role; the token used has the viewer role.\n',
    );
    expect(refused.stdout).toBe('');
    expect((await cli(['keys', 'list', 'acme'], viewer)).code).toBe(0);

    const unknown = await cli(['keys', 'list', 'acme'], 'ewt_wrong');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`edgeway: the control plane at ${controlPlane.url} refused the token`);
  });

  it('says which URL is not answering', async () => {
    const silentUrl = `http://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await runCli(['keys', 'list', 'acme', ...connectionFlags(silentUrl, 't')]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `edgeway: the control plane at ${silentUrl} is not answering (connection refused)`,
    );
  });

  it('documents every option in its help', async () => {
    const { code, stdout } = await runCli(['keys', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: edgeway keys /);
    for (const option of ['--test', '--expires-at <time>', '--grace <duration>', '--json', '--url <url>']) {
      expect(stdout).toContain(option);
    }
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}keys create/m);
  });
});
