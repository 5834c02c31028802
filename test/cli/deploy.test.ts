/**
 * `edgeway deploy` against a real control plane (workerd, D1, KV) with real Git
 * repositories: the commit, branch, author and message are recorded; the branch picks
 * the environment; the environment's API vars fill the local compile; warnings are printed
 * without stopping it; a dirty tree, a broken config, a detached HEAD, a bad token, a low
 * role and a control plane that is not answering each fail with one readable line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneClient } from '../../cli/lib/control-plane-client.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { type CliRun, connectionFlags, runCli } from '../support/cli.ts';
import { startControlPlane, type TestControlPlane } from '../support/control-plane.ts';
import {
  BROKEN_CONFIG,
  BROKEN_CONFIG_ERRORS,
  configWithUnusedUpstream,
  configWithVariable,
  gatewayConfig,
  UNUSED_UPSTREAM_WARNING,
} from '../support/gateway-configs.ts';
import { AUTHOR, commitAll, createGitRepo, git } from '../support/git-repos.ts';

let controlPlane: TestControlPlane;
let token: string;
let api: ControlPlaneClient;

beforeAll(async () => {
  controlPlane = await startControlPlane();
  token = await controlPlane.createToken('deployer');
  api = new ControlPlaneClient(controlPlane.url, token);
});
afterAll(() => controlPlane?.close());

function deploy(repo: string, ...args: string[]): Promise<CliRun> {
  return runCli(['deploy', ...args, ...connectionFlags(controlPlane.url, token)], { cwd: repo });
}

/** The deployment id `Live: <id> in ...` names. */
function liveId(run: CliRun): string {
  const match = /^Live: (dep_[0-9a-z]{26}) in /m.exec(run.stdout);
  if (!match) throw new Error(`not deployed: ${run.code}\n${run.stdout}\n${run.stderr}`);
  return match[1]!;
}

async function deploymentCount(environment?: string): Promise<number> {
  return (await api.listDeployments({ environment, limit: 100 })).deployments.length;
}

describe('deploy', () => {
  it("deploys the production branch's commit to production and records where it came from", async () => {
    const repo = createGitRepo({ 'edgeway.yaml': gatewayConfig() });
    const sha = git(repo, ['rev-parse', 'HEAD']).trim();
    const run = await deploy(repo);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const id = liveId(run);
    expect(run.stdout).toBe(
      [
        `Compiling . for production (main at ${sha.slice(0, 12)})...`,
        `Uploading 1 file to ${controlPlane.url}...`,
        `Live: ${id} in production at http://localhost:8787`,
        '',
      ].join('\n'),
    );
    expect(await api.getDeployment(id)).toMatchObject({
      environment: 'production',
      status: 'live',
      commit: sha,
      branch: 'main',
      author: AUTHOR,
      message: 'First config',
      trigger: 'cli',
      url: 'http://localhost:8787',
    });
    expect((await api.getEnvironment('production')).liveDeploymentId).toBe(id);
  });

  it('deploys another branch to its preview environment and leaves production as it was', async () => {
    const repo = createGitRepo({ 'edgeway.yaml': gatewayConfig() });
    const production = (await api.getEnvironment('production')).liveDeploymentId;
    git(repo, ['checkout', '--quiet', '-b', 'feature/Login_v2']);
    commitAll(repo, 'Tag the preview', { 'edgeway.yaml': gatewayConfig({ tag: 'preview' }) });
    const run = await deploy(repo);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Compiling . for feature-login-v2 (feature/Login_v2 at ');
    expect(run.stdout).toContain(
      `Live: ${liveId(run)} in feature-login-v2 at http://feature-login-v2.localhost:8787`,
    );
    expect(await api.getDeployment(liveId(run))).toMatchObject({
      branch: 'feature/Login_v2',
      message: 'Tag the preview',
    });
    expect((await api.getEnvironment('production')).liveDeploymentId).toBe(production);
  });

  it('deploys to the environment --environment names instead of the branch', async () => {
    const repo = createGitRepo({ 'edgeway.yaml': gatewayConfig() }, 'topic');
    const run = await deploy(repo, '--environment', 'staging');
    expect(run.code).toBe(0);
    expect(await api.getDeployment(liveId(run))).toMatchObject({ environment: 'staging', branch: 'topic' });
  });

  it('deploys a config folder inside a larger repository, without files Git ignores', async () => {
    const repo = createGitRepo({
      'gateway/edgeway.yaml': gatewayConfig(),
      'gateway/openapi/users.json': '{}',
      '.gitignore': 'local.json\n',
    });
    writeFileSync(join(repo, 'gateway', 'local.json'), '{}');
    const run = await runCli(['deploy', 'gateway', ...connectionFlags(controlPlane.url, token)], {
      cwd: repo,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Compiling gateway for production');
    expect(run.stdout).toContain('Uploading 2 files');
  });

  it('refuses uncommitted changes, and deploys them as <sha>-dirty with --allow-dirty', async () => {
    const repo = createGitRepo({ 'edgeway.yaml': gatewayConfig() }, 'dirty');
    writeFileSync(join(repo, 'edgeway.yaml'), gatewayConfig({ tag: 'uncommitted' }));
    writeFileSync(join(repo, 'extra.yaml'), 'x: 1\n');
    const before = await deploymentCount();
    const refused = await deploy(repo);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(
      'edgeway: . has uncommitted changes (edgeway.yaml, extra.yaml); commit them, or pass --allow-dirty to deploy them as they are\n',
    );
    expect(await deploymentCount()).toBe(before);

    const sha = git(repo, ['rev-parse', 'HEAD']).trim();
    const allowed = await deploy(repo, '--allow-dirty');
    expect(allowed.code).toBe(0);
    const deployment = await api.getDeployment(liveId(allowed));
    expect(deployment.commit).toBe(`${sha}-dirty`);
    const local = await runCli(['validate', '--json', '--environment', 'dirty'], { cwd: repo });
    expect(deployment.hash).toBe(JSON.parse(local.stdout).hash);
  });

  it('compiles locally with the vars set for the environment through the API', async () => {
    const config = configWithVariable('elsewhere');
    const repo = createGitRepo({ 'edgeway.yaml': config }, 'api-vars');
    await api.setEnvironmentValue('api-vars', 'vars', 'API_URL', 'http://127.0.0.1:9');
    const run = await deploy(repo);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(await api.getDeployment(liveId(run))).toMatchObject({ environment: 'api-vars' });
  });

  it('prints warnings as file:line:col: warning: and deploys anyway', async () => {
    const repo = createGitRepo({ 'edgeway.yaml': configWithUnusedUpstream() }, 'warned');
    const run = await deploy(repo);
    expect(run.code).toBe(0);
    const { path, message } = UNUSED_UPSTREAM_WARNING;
    expect(run.stderr).toBe(`edgeway.yaml:3:3: warning: ${path}: ${message}\n`);
    expect(await api.getDeployment(liveId(run))).toMatchObject({ warnings: [UNUSED_UPSTREAM_WARNING] });
  });

  it('stops before uploading when the config does not compile, printing file:line:col', async () => {
    const repo = createGitRepo({ 'edgeway.yaml': BROKEN_CONFIG });
    const before = await deploymentCount();
    const run = await deploy(repo);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Compiling \. for production/);
    expect(run.stdout).not.toContain('Uploading');
    expect(run.stderr).toBe(
      [
        'edgeway: the config does not compile (2 errors); nothing was uploaded',
        ...BROKEN_CONFIG_ERRORS,
        '',
      ].join('\n'),
    );
    expect(await deploymentCount()).toBe(before);
  });

  it("prints the control plane's compile errors as file:line:col when it rejects the config", async () => {
    // Locally the secret's value is unknown, so its reference is accepted by name; the
    // control plane knows production has no such secret.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${secret.NAME} is config-language syntax.
    const config = gatewayConfig().replace('x-config-tag: one', 'x-config-tag: ${secret.MISSING}');
    const repo = createGitRepo({ 'edgeway.yaml': config });
    const run = await deploy(repo);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Uploading 1 file');
    expect(run.stderr).toBe(
      [
        'edgeway: the control plane rejected the config (1 error); nothing was deployed',
        'edgeway.yaml:10:23: $.policies.tag.options.set[\'x-config-tag\']: secret "MISSING" is not set in environment "production" (none are set); expected it set with `edgeway secrets set MISSING --environment production`',
        '',
      ].join('\n'),
    );
  });

  it("shows the API's problem when the control plane refuses the deploy", async () => {
    const repo = createGitRepo({
      'edgeway.yaml': gatewayConfig({ hosts: { production: ['api.claimed.test'] } }),
    });
    expect((await deploy(repo)).code).toBe(0);
    git(repo, ['checkout', '--quiet', '-b', 'claim']);
    commitAll(repo, 'Claim the host', {
      'edgeway.yaml': gatewayConfig({ hosts: { claim: ['api.claimed.test'] } }),
    });
    const run = await deploy(repo);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'edgeway: Host claimed by another environment (409): api.claimed.test belongs to production. Nothing changed; remove the host from one of them first.\n',
    );
  });

  it('needs --branch on a detached HEAD', async () => {
    const repo = createGitRepo({ 'edgeway.yaml': gatewayConfig() }, 'detached');
    git(repo, ['checkout', '--quiet', '--detach']);
    const refused = await deploy(repo);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'edgeway: HEAD is detached; pass --branch <name> to say which branch this deploys',
    );
    const run = await deploy(repo, '--branch', 'detached');
    expect(await api.getDeployment(liveId(run))).toMatchObject({
      environment: 'detached',
      branch: 'detached',
    });
  });

  it('refuses a folder outside Git, and a repository without a commit', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'edgeway-cli-plain-'));
    writeFileSync(join(plain, 'edgeway.yaml'), gatewayConfig());
    const outside = await deploy(plain);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toBe(
      'edgeway: . is not in a Git repository; deploy deploys a commit (git init, git commit)\n',
    );
    git(plain, ['init', '--quiet']);
    const empty = await deploy(plain);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe('edgeway: the repository at . has no commit yet; commit the config first\n');
  });

  it('says the token was refused', async () => {
    const repo = createGitRepo({ 'edgeway.yaml': gatewayConfig() });
    const run = await runCli(['deploy', '--url', controlPlane.url, '--token', 'ewt_wrong'], { cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `edgeway: the control plane at ${controlPlane.url} refused the token: The bearer token is unknown or revoked. Check --token, EDGEWAY_TOKEN or the config file.\n`,
    );
  });

  it('says when the token may not deploy', async () => {
    const repo = createGitRepo({ 'edgeway.yaml': gatewayConfig() });
    const viewer = await controlPlane.createToken('viewer');
    const run = await runCli(['deploy'], {
      cwd: repo,
      env: { EDGEWAY_URL: controlPlane.url, EDGEWAY_TOKEN: viewer },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'edgeway: Role too low (403): This needs the deployer role; the token used has the viewer role.\n',
    );
  });

  it('says which control plane is not answering', async () => {
    const repo = createGitRepo({ 'edgeway.yaml': gatewayConfig() });
    const silent = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli(['deploy', '--url', silent, '--token', token], { cwd: repo });
    expect(run.code).toBe(1);
    // Reading the settings (which environment the branch deploys to) is the first request.
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `edgeway: the control plane at ${silent} is not answering (connection refused); check --url, EDGEWAY_URL or the config file, and that it is running\n`,
    );
  });
});
