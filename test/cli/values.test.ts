/**
 * `edgeway vars` and `edgeway secrets` against a real control plane (workerd, D1, KV):
 * setting, listing and unsetting vars; a secret set from stdin, listed by name only and
 * never printed; and each refusal as one readable line with its exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOptions, type CliRun, connectionFlags, runCli } from '../support/cli.ts';
import { startControlPlane, type TestControlPlane } from '../support/control-plane.ts';

const SECRET = 'hunter2-from-stdin';

let controlPlane: TestControlPlane;
let deployer: string;

beforeAll(async () => {
  controlPlane = await startControlPlane();
  deployer = await controlPlane.createToken('deployer');
});
afterAll(() => controlPlane?.close());

function cli(args: readonly string[], options: CliOptions & { token?: string } = {}): Promise<CliRun> {
  return runCli([...args, ...connectionFlags(controlPlane.url, options.token ?? deployer)], options);
}

describe('vars', () => {
  it('sets, lists and unsets vars', async () => {
    const set = await cli(['vars', 'set', 'API_URL=https://api.example/?a=b', '-e', 'staging']);
    expect(set).toEqual({
      code: 0,
      stdout: 'Set var API_URL in staging; it applies from its next deployment.\n',
      stderr: '',
    });
    expect((await cli(['vars', 'set', 'EMPTY=', '-e', 'staging'])).code).toBe(0);

    const listed = await cli(['vars', '-e', 'staging']);
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME +KIND +VALUE +UPDATED$/);
    expect(rows).toEqual([
      expect.stringMatching(/^API_URL +var +https:\/\/api\.example\/\?a=b +\d{4}-\d\d-\d\d /),
      expect.stringMatching(/^EMPTY +var +\d{4}-/),
    ]);

    const unset = await cli(['vars', 'unset', 'EMPTY', '--environment', 'staging']);
    expect(unset.stdout).toBe('Unset var EMPTY in staging; this applies from its next deployment.\n');
    const json = await cli(['vars', 'list', '-e', 'staging', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({
      vars: [{ name: 'API_URL', value: 'https://api.example/?a=b', updatedAt: expect.any(String) }],
      secrets: [],
    });
  });

  it('says when there is nothing to list', async () => {
    expect((await cli(['vars', '-e', 'empty-env'])).stdout).toBe('No vars or secrets set for empty-env.\n');
  });

  it.each([
    [['vars'], 'missing option --environment <name>'],
    [['vars', 'set', 'NOEQUALS', '-e', 'x'], '"NOEQUALS": expected NAME=value'],
    [['vars', 'set', 'lower=1', '-e', 'x'], '"lower": expected a variable name of upper-case letters'],
    [['vars', 'unset', '-e', 'x'], 'missing argument <NAME>: the var to unset'],
    [['vars', 'drop', '-e', 'x'], 'unknown action "drop"; expected list, set or unset'],
    [['vars', 'list', 'extra', '-e', 'x'], 'unexpected argument "extra"'],
  ])('refuses %j as a usage error, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`edgeway: ${message}`);
    expect(stderr).toContain('Run "edgeway ');
  });

  it('says when there is no such var, and when the token may not change vars', async () => {
    const missing = await cli(['vars', 'unset', 'NOPE', '-e', 'staging']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('edgeway: Variable not found (404): staging has no var named NOPE.\n');

    const viewer = await controlPlane.createToken('viewer');
    const refused = await cli(['vars', 'set', 'A=1', '-e', 'staging'], { token: viewer });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'edgeway: Role too low (403): This needs the deployer role; the token used has the viewer role.\n',
    );
    expect((await cli(['vars', '-e', 'staging'], { token: viewer })).code).toBe(0);
  });
});

describe('secrets', () => {
  it('sets a secret from stdin, lists it by name only, and unsets it', async () => {
    const set = await cli(['secrets', 'set', 'DB_PASSWORD', '-e', 'staging'], { input: `${SECRET}\n` });
    expect(set).toEqual({
      code: 0,
      stdout: 'Set secret DB_PASSWORD in staging; it applies from its next deployment.\n',
      stderr: '',
    });
    const listed = await cli(['vars', '-e', 'staging']);
    expect(listed.stdout).toMatch(/^DB_PASSWORD +secret +\(hidden\) +\d{4}-/m);
    expect(listed.stdout).not.toContain(SECRET);
    expect((await cli(['vars', '-e', 'staging', '--json'])).stdout).not.toContain(SECRET);

    const clash = await cli(['vars', 'set', 'DB_PASSWORD=plain', '-e', 'staging']);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toBe(
      'edgeway: Name taken by a secret (409): DB_PASSWORD is a secret of staging; unset that secret first to make it a var.\n',
    );

    const unset = await cli(['secrets', 'unset', 'DB_PASSWORD', '-e', 'staging']);
    expect(unset.stdout).toBe(
      'Unset secret DB_PASSWORD in staging; this applies from its next deployment.\n',
    );
    expect((await cli(['vars', '-e', 'staging'])).stdout).not.toContain('DB_PASSWORD');
  });

  it('never takes the value from the command line', async () => {
    const { code, stderr } = await cli(['secrets', 'set', 'TOKEN', SECRET, '-e', 'staging'], { input: 'x' });
    expect(code).toBe(2);
    expect(stderr).toContain(`edgeway: unexpected argument "${SECRET}"`);
  });

  it('refuses an empty stdin, setting nothing', async () => {
    const { code, stderr } = await cli(['secrets', 'set', 'EMPTY', '-e', 'staging'], { input: '' });
    expect(code).toBe(1);
    expect(stderr).toBe('edgeway: no value on stdin for EMPTY; nothing was set\n');
    expect((await cli(['vars', '-e', 'staging'])).stdout).not.toContain('EMPTY');
  });

  it.each([
    [['secrets', 'drop', 'A', '-e', 'x'], 'unknown action "drop"; expected set or unset'],
    [['secrets', 'set', 'A'], 'missing option --environment <name>'],
    [['secrets', 'set'], 'missing argument <NAME>'],
  ])('refuses %j as a usage error, exit 2', async (args, message) => {
    const { code, stderr } = await cli(args, { input: 'x' });
    expect(code).toBe(2);
    expect(stderr).toContain(`edgeway: ${message}`);
  });
});
