/**
 * `edgeway members` against a real control plane (workerd, D1): inviting the first owner
 * with the bootstrap token (a generated password printed once, or one read from stdin),
 * listing, changing roles, disabling, enabling and removing, and each refusal (a bad
 * value before anything is sent, a role too low, the last owner) as one readable line
 * with its exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, connectionFlags, runCli } from '../support/cli.ts';
import { ADMIN_TOKEN, startControlPlane, type TestControlPlane } from '../support/control-plane.ts';

let controlPlane: TestControlPlane;

beforeAll(async () => {
  controlPlane = await startControlPlane();
});
afterAll(() => controlPlane?.close());

function cli(args: readonly string[], token = ADMIN_TOKEN, input?: string): Promise<CliRun> {
  return runCli([...args, ...connectionFlags(controlPlane.url, token)], input === undefined ? {} : { input });
}

/** Signs in through the form, as the dashboard's users do: true when it redirected home. */
async function signsIn(email: string, password: string): Promise<boolean> {
  const response = await fetch(`${controlPlane.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: controlPlane.url },
    body: new URLSearchParams({ email, password }),
    redirect: 'manual',
  });
  return response.status === 303;
}

describe('members', () => {
  it('invites the first owner with the bootstrap token and prints their password once', async () => {
    const invited = await cli([
      'members',
      'invite',
      'ada@example.com',
      '--role',
      'owner',
      '--name',
      'Ada Lovelace',
    ]);
    expect(invited.code).toBe(0);
    expect(invited.stderr).toBe('');
    const match =
      /^Invited ada@example\.com as owner \(mem_[0-9a-z]{26}\)\.\nTheir password, shown this once:\n\n {2}(\S{24})\n\n$/.exec(
        invited.stdout,
      );
    expect(match).not.toBeNull();
    expect(await signsIn('ada@example.com', match![1]!)).toBe(true);
  });

  it('invites with a password read from stdin, which it never prints', async () => {
    const password = 'correct horse battery staple';
    const invited = await cli(
      ['members', 'invite', 'grace@example.com', '--role', 'deployer', '--password-stdin'],
      ADMIN_TOKEN,
      `${password}\n`,
    );
    expect(invited).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^Invited grace@example\.com as deployer \(mem_[0-9a-z]{26}\)\.\n$/),
      stderr: '',
    });
    expect(await signsIn('grace@example.com', password)).toBe(true);
  });

  it('lists members by email with their role and state', async () => {
    await cli(['members', 'invite', 'list-b@example.com', '--role', 'viewer']);
    await cli(['members', 'disable', 'list-b@example.com']);
    const { code, stdout } = await cli(['members']);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^EMAIL +NAME +ROLE +STATE +CREATED$/);
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ada@example\.com +Ada Lovelace +owner +active +\d{4}-/),
        expect.stringMatching(/^list-b@example\.com +list-b +viewer +disabled +\d{4}-/),
      ]),
    );
    const json = JSON.parse((await cli(['members', 'list', '--json'])).stdout);
    expect(json.map((member: { email: string }) => member.email)).toContain('grace@example.com');
    expect(JSON.stringify(json)).not.toContain('pbkdf2');
  });

  it('changes a role, enables, disables and removes a member', async () => {
    await cli(['members', 'invite', 'temp@example.com', '--role', 'viewer']);
    expect(await cli(['members', 'role', 'temp@example.com', 'admin'])).toEqual({
      code: 0,
      stdout: 'temp@example.com is now admin.\n',
      stderr: '',
    });
    expect((await cli(['members', 'disable', 'temp@example.com'])).stdout).toBe(
      'Disabled temp@example.com.\n',
    );
    expect((await cli(['members', 'enable', 'temp@example.com'])).stdout).toBe('Enabled temp@example.com.\n');
    expect(await cli(['members', 'remove', 'temp@example.com'])).toEqual({
      code: 0,
      stdout: 'Removed temp@example.com; their sessions ended and their tokens were revoked.\n',
      stderr: '',
    });
    const again = await cli(['members', 'remove', 'temp@example.com']);
    expect(again).toEqual({
      code: 1,
      stdout: '',
      stderr: 'edgeway: Member not found (404): No member has that id or email.\n',
    });
  });

  it('says when the last owner would go, or the role is too low', async () => {
    const lastOwner = await cli(['members', 'role', 'ada@example.com', 'viewer']);
    expect(lastOwner.code).toBe(1);
    expect(lastOwner.stderr).toBe(
      'edgeway: Last owner (409): That member is the only enabled owner; make another member an owner first.\n',
    );
    const admin = await controlPlane.createToken('admin');
    const refused = await cli(['members', 'role', 'grace@example.com', 'viewer'], admin);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'edgeway: Role too low (403): This needs the owner role; the token used has the admin role.\n',
    );
  });

  it.each([
    [['members', 'invite', 'not-an-email', '--role', 'viewer'], '"not-an-email": an email address such as'],
    [['members', 'invite', 'x@example.com'], 'invite needs --role: viewer, deployer, admin or owner'],
    [['members', 'invite', 'x@example.com', '--role', 'emperor'], '--role "emperor": Invalid option'],
    [['members', 'role', 'x@example.com'], 'missing argument <role>'],
    [['members', 'remove'], 'missing argument <email>: the member to remove'],
    [['members', 'remove', 'x@example.com', 'admin'], 'unexpected argument "admin"'],
    [['members', 'list', '--role', 'admin'], '--role does not apply to "list"'],
    [['members', 'fire', 'x@example.com'], 'unknown action "fire"'],
  ])('refuses %j as a usage error, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`edgeway: ${message}`);
    expect(stderr).toContain('Run "edgeway members --help" for usage.');
  });

  it('refuses a short password from stdin before sending anything', async () => {
    const { code, stderr } = await cli(
      ['members', 'invite', 'short@example.com', '--role', 'viewer', '--password-stdin'],
      ADMIN_TOKEN,
      'short',
    );
    expect(code).toBe(2);
    expect(stderr).toContain('edgeway: the password on stdin: a password is at least 12 characters');
    expect((await cli(['members'])).stdout).not.toContain('short@example.com');
  });
});
