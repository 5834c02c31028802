/**
 * `edgeway deployments`, `edgeway rollback` and `edgeway environments` against a real
 * control plane (workerd, D1, KV), seeded through its API: listing and filtering, rolling
 * back step by step or to an id, deleting a preview, and each refusal as one readable
 * line with exit 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneClient } from '../../cli/lib/control-plane-client.ts';
import { type CliRun, connectionFlags, runCli } from '../support/cli.ts';
import { startControlPlane, type TestControlPlane } from '../support/control-plane.ts';
import { BROKEN_CONFIG, gatewayConfig } from '../support/gateway-configs.ts';

let controlPlane: TestControlPlane;
let deployer: string;
let api: ControlPlaneClient;
/** Production's deployments, oldest first; a failed one sits between the second and third. */
const production: string[] = [];
let failed: string;
let preview: string;

beforeAll(async () => {
  controlPlane = await startControlPlane();
  deployer = await controlPlane.createToken('deployer');
  api = new ControlPlaneClient(controlPlane.url, deployer);
  const deploy = (tag: string, branch = 'main') =>
    api.deploy({
      files: { 'edgeway.yaml': gatewayConfig({ tag }) },
      commit: `${tag}42`,
      branch,
      author: 'Ada <ada@example.com>',
      message: `Tag ${tag}\n\nWith a body.`,
      trigger: 'api',
    });
  for (const tag of ['one', 'two']) production.push((await deploy(tag)).id);
  failed = await api
    .deploy({
      files: { 'edgeway.yaml': BROKEN_CONFIG },
      commit: 'bad',
      branch: 'main',
      author: 'Ada',
      message: 'Oops',
    })
    .then(
      () => {
        throw new Error('the broken config deployed');
      },
      (error) => error.problem.deploymentId as string,
    );
  production.push((await deploy('three')).id);
  preview = (await deploy('preview', 'feature-x')).id;
});
afterAll(() => controlPlane?.close());

function cli(args: readonly string[], token = deployer): Promise<CliRun> {
  return runCli([...args, ...connectionFlags(controlPlane.url, token)]);
}

describe('deployments', () => {
  it('lists deployments newest first, one line each', async () => {
    const { code, stdout } = await cli(['deployments']);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +ENVIRONMENT +STATUS +COMMIT +BRANCH +TRIGGER +CREATED +MESSAGE$/);
    expect(rows.map((row) => row.split(/ +/)[0])).toEqual([
      preview,
      production[2],
      failed,
      production[1],
      production[0],
    ]);
    expect(rows[0]).toMatch(
      / feature-x +live +preview42 +feature-x +api +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +Tag preview$/,
    );
    expect(rows[2]).toMatch(/ production +failed +bad +main /);
  });

  it('filters by environment and limits the count', async () => {
    const { code, stdout } = await cli(['deployments', '--environment', 'production', '-n', '2']);
    expect(code).toBe(0);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((row) => row.split(' ')[0]),
    ).toEqual([production[2], failed]);
  });

  it('prints the API objects with --json', async () => {
    const { code, stdout } = await cli(['deployments', '--json', '--limit', '1']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({ id: preview, environment: 'feature-x', status: 'live', trigger: 'api' }),
    ]);
  });

  it('says when there is nothing to list', async () => {
    const { code, stdout } = await cli(['deployments', '--environment', 'nowhere']);
    expect(code).toBe(0);
    expect(stdout).toBe('No deployments to nowhere yet.\n');
  });

  it('says the token was refused', async () => {
    const { code, stderr } = await cli(['deployments'], 'ewt_wrong');
    expect(code).toBe(1);
    expect(stderr).toBe(
      `edgeway: the control plane at ${controlPlane.url} refused the token: The bearer token is unknown or revoked. Check --token, EDGEWAY_TOKEN or the config file.\n`,
    );
  });
});

describe('rollback', () => {
  const live = async (environment: string) => (await api.getEnvironment(environment)).liveDeploymentId;

  it('without an id, serves the deployment before the live one again, skipping failed ones', async () => {
    const run = await cli(['rollback']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `Rolled back production to ${production[1]} (it was serving ${production[2]}). Served at http://localhost:8787\n`,
    );
    expect(await live('production')).toBe(production[1]);

    expect((await cli(['rollback', '--environment', 'production'])).code).toBe(0);
    expect(await live('production')).toBe(production[0]);
  });

  it('says when there is nothing earlier to roll back to', async () => {
    const { code, stderr } = await cli(['rollback']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `edgeway: production has no deployment before ${production[0]} that was live; there is nothing to roll back to\n`,
    );
  });

  it('with an id, serves that deployment again in its own environment', async () => {
    const run = await cli(['rollback', production[2]!]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Rolled back production to ${production[2]}. Served at http://localhost:8787\n`);
    expect(await live('production')).toBe(production[2]);
  });

  it.each([
    [() => ['rollback', failed], /^edgeway: Deployment was never live \(409\): That deployment is failed; /],
    [() => ['rollback', production[2]!], /^edgeway: Deployment is already live \(409\): /],
    [
      () => ['rollback', 'dep_00000000000000000000000000'],
      /^edgeway: Deployment not found \(404\): No deployment has that id\.\n$/,
    ],
    [() => ['rollback', '--environment', 'nowhere'], /^edgeway: Environment not found \(404\): /],
    [
      () => ['rollback', production[0]!, '--environment', 'feature-x'],
      /^edgeway: Deployment belongs to another environment \(409\): /,
    ],
  ])('refuses %#: the problem in one line, exit 1', async (args, message) => {
    const { code, stdout, stderr } = await cli(args());
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('says when the token may not roll back', async () => {
    const { code, stderr } = await cli(['rollback'], await controlPlane.createToken('viewer'));
    expect(code).toBe(1);
    expect(stderr).toBe(
      'edgeway: Role too low (403): This needs the deployer role; the token used has the viewer role.\n',
    );
  });
});

describe('environments', () => {
  it('lists the environments with their live deployment and URL', async () => {
    const { code, stdout } = await cli(['environments']);
    expect(code).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME +LIVE DEPLOYMENT +URL +HOSTS +UPDATED$/);
    expect(rows).toEqual([
      expect.stringMatching(
        new RegExp(
          `^feature-x +${preview} +http://feature-x\\.localhost:8787 +feature-x\\.localhost +\\d{4}-`,
        ),
      ),
      expect.stringMatching(new RegExp(`^production +${production[2]} +http://localhost:8787 +\\d{4}-`)),
    ]);
  });

  it('prints the API objects with --json', async () => {
    const { code, stdout } = await cli(['environments', 'list', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((environment: { name: string }) => environment.name)).toEqual([
      'feature-x',
      'production',
    ]);
  });

  it('deletes a preview environment, which is then gone', async () => {
    const run = await cli(['environments', 'delete', 'feature-x']);
    expect(run).toMatchObject({ code: 0, stdout: 'Deleted environment feature-x.\n', stderr: '' });
    const { stdout } = await cli(['environments']);
    expect(stdout).not.toContain('feature-x');

    const again = await cli(['environments', 'delete', 'feature-x']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^edgeway: Environment not found \(404\): No environment has that name/);
  });

  it('refuses to delete production', async () => {
    const { code, stderr } = await cli(['environments', 'delete', 'production']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'edgeway: Environment cannot be deleted (409): production is what the production branch deploys to; only preview environments can be deleted.\n',
    );
  });

  it('says the token was refused', async () => {
    const { code, stderr } = await cli(['environments'], 'ewt_wrong');
    expect(code).toBe(1);
    expect(stderr).toContain(`edgeway: the control plane at ${controlPlane.url} refused the token`);
  });
});
