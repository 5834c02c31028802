/**
 * `edgeway remote install` and the hook it installs, with real bare repositories, real
 * `git push` and a real control plane (workerd, D1, KV; no data plane): what the pusher
 * sees and what each push records, for new, changed, broken, deleted and production
 * branches and for tags, and install's refusals.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneClient } from '../../cli/lib/control-plane-client.ts';
import { freePort } from '../../scripts/lib/ports.ts';
import { connectionFlags, runCli } from '../support/cli.ts';
import { startControlPlane, type TestControlPlane } from '../support/control-plane.ts';
import { BROKEN_CONFIG, BROKEN_CONFIG_ERRORS, gatewayConfig } from '../support/gateway-configs.ts';
import { cloneRepo, createBareRepo, push, pushedDeploymentId, remoteLines } from '../support/git-remote.ts';
import { AUTHOR, commitAll, git } from '../support/git-repos.ts';

let controlPlane: TestControlPlane;
let token: string;
let api: ControlPlaneClient;

beforeAll(async () => {
  controlPlane = await startControlPlane();
  token = await controlPlane.createToken('deployer');
  api = new ControlPlaneClient(controlPlane.url, token);
});
afterAll(() => controlPlane?.close());

/** A bare repository with the hook installed, and a clone of it to push from. */
async function remoteWithHook(accessToken = token): Promise<{ bare: string; clone: string }> {
  const bare = createBareRepo();
  const install = await runCli([
    'remote',
    'install',
    bare,
    ...connectionFlags(controlPlane.url, accessToken),
  ]);
  if (install.code !== 0) throw new Error(`install failed: ${install.stderr}`);
  return { bare, clone: cloneRepo(bare) };
}

const liveIn = async (environment: string) => (await api.getEnvironment(environment)).liveDeploymentId;

describe('remote install', () => {
  it('writes a hook that runs this CLI with this Node, and records the connection in git config', async () => {
    const bare = createBareRepo();
    const run = await runCli(['remote', 'install', bare, ...connectionFlags(controlPlane.url, token)]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const hook = join(bare, 'hooks', 'post-receive');
    const cli = join(import.meta.dirname, '../../cli/edgeway.ts');
    expect(run.stdout).toBe(
      [
        `Installed ${hook}, which runs:`,
        `  ${process.execPath} ${cli} remote receive`,
        `Every push to ${bare} now deploys through ${controlPlane.url}:`,
        '  main to production, served at http://localhost:8787',
        '  any other branch to its own preview, served at http://<branch-slug>.localhost:8787',
        '',
      ].join('\n'),
    );
    expect(statSync(hook).mode & 0o777).toBe(0o755);
    expect(readFileSync(hook, 'utf8')).toContain(`\nexec ${process.execPath} ${cli} remote receive\n`);
    expect(git(bare, ['config', 'edgeway.url']).trim()).toBe(controlPlane.url);
    expect(git(bare, ['config', 'edgeway.token']).trim()).toBe(token);
    expect(statSync(join(bare, 'config')).mode & 0o777).toBe(0o600);
    // Installing again replaces its own hook.
    expect(
      (await runCli(['remote', 'install', bare, ...connectionFlags(controlPlane.url, token)])).code,
    ).toBe(0);
  });

  it('keeps a post-receive hook it did not write unless --force', async () => {
    const bare = createBareRepo();
    const hook = join(bare, 'hooks', 'post-receive');
    writeFileSync(hook, '#!/bin/sh\necho mine\n');
    const flags = connectionFlags(controlPlane.url, token);
    const refused = await runCli(['remote', 'install', bare, ...flags]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(
      `edgeway: ${hook} already exists and edgeway did not install it; pass --force to replace it\n`,
    );
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\necho mine\n');
    expect((await runCli(['remote', 'install', bare, '--force', ...flags])).code).toBe(0);
    expect(readFileSync(hook, 'utf8')).toContain(' remote receive\n');
  });

  it('refuses a folder that is not a bare repository, or takes its hooks from elsewhere', async () => {
    const flags = connectionFlags(controlPlane.url, token);
    const bare = createBareRepo();
    for (const folder of [cloneRepo(bare), join(bare, 'hooks')]) {
      const run = await runCli(['remote', 'install', folder, ...flags]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `edgeway: ${folder} is not a bare Git repository; make one with: git init --bare ${folder}\n`,
      );
    }
    git(bare, ['config', 'core.hooksPath', '/srv/git/hooks']);
    const run = await runCli(['remote', 'install', bare, ...flags]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `edgeway: ${bare} takes its hooks from /srv/git/hooks (core.hooksPath), which other repositories may share; unset it to install the hook in the repository\n`,
    );
  });

  it('writes nothing when the control plane is not answering or refuses the token', async () => {
    const bare = createBareRepo();
    const silent = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await runCli(['remote', 'install', bare, '--url', silent, '--token', token]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`edgeway: the control plane at ${silent} is not answering`);
    const refused = await runCli(['remote', 'install', bare, ...connectionFlags(controlPlane.url, 'ewt_no')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`edgeway: the control plane at ${controlPlane.url} refused the token`);
    expect(existsSync(join(bare, 'hooks', 'post-receive'))).toBe(false);
    expect(git(bare, ['config', '--list', '--local'])).not.toContain('edgeway.');
  });

  it.each([
    [['remote', 'install'], 'edgeway: missing argument <bare-repo>: the repository to install into'],
    [['remote', 'push'], 'edgeway: unknown action "push"; expected install or receive'],
    [['remote'], 'edgeway: missing argument <action>'],
  ])('%j is a usage error', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${message}\nRun "edgeway remote --help" for usage.\n`);
  });

  it('is documented in --help', async () => {
    const help = await runCli(['remote', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: edgeway remote install\|receive \[bare-repo\] \[options\]\n/);
    for (const text of ['post-receive', 'edgeway.url', 'edgeway.token', '--force', '--url <url>']) {
      expect(help.stdout).toContain(text);
    }
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}remote install\|receive \[bare-repo\] +Make /m);
  });
});

describe('git push to a remote with the hook', () => {
  it('deploys the pushed commit of the production branch to production and reports it', async () => {
    const { clone } = await remoteWithHook();
    const sha = commitAll(clone, 'First config\n\nWith a body.', { 'edgeway.yaml': gatewayConfig() });
    const pushed = push(clone, ['origin', 'main']);
    expect(pushed.code).toBe(0);
    const id = pushedDeploymentId(pushed);
    expect(remoteLines(pushed)).toEqual([
      `Deploying main at ${sha.slice(0, 12)} (First config)...`,
      `Uploading 1 file to ${controlPlane.url}...`,
      `Live: ${id} in production at http://localhost:8787`,
    ]);
    expect(await api.getDeployment(id)).toMatchObject({
      environment: 'production',
      status: 'live',
      commit: sha,
      branch: 'main',
      author: AUTHOR,
      message: 'First config\n\nWith a body.',
      trigger: 'git-push',
    });
    expect(await liveIn('production')).toBe(id);
  });

  it('prints the compile errors as file:line:col and leaves the environment as it was', async () => {
    const { clone } = await remoteWithHook();
    commitAll(clone, 'Good', { 'edgeway.yaml': gatewayConfig({ tag: 'good' }) });
    const live = pushedDeploymentId(push(clone, ['origin', 'main']));
    commitAll(clone, 'Broken', { 'edgeway.yaml': BROKEN_CONFIG });
    const pushed = push(clone, ['origin', 'main']);
    expect(pushed.code).toBe(0);
    expect(remoteLines(pushed).slice(1)).toEqual([
      `Uploading 1 file to ${controlPlane.url}...`,
      'edgeway: the control plane rejected the config (2 errors); nothing was deployed',
      ...BROKEN_CONFIG_ERRORS,
    ]);
    expect(await liveIn('production')).toBe(live);
    const [latest] = (await api.listDeployments({ environment: 'production', limit: 1 })).deployments;
    expect(latest).toMatchObject({ status: 'failed', message: 'Broken', trigger: 'git-push' });
  });

  it('deploys a branch to its preview, skips tags, and deletes the preview with the branch', async () => {
    const { clone } = await remoteWithHook();
    commitAll(clone, 'Preview', { 'edgeway.yaml': gatewayConfig({ tag: 'preview' }) });
    git(clone, ['tag', 'v1']);
    const production = await liveIn('production');
    const pushed = push(clone, ['origin', 'main:feature/Remote_1', 'v1']);
    expect(pushed.code).toBe(0);
    const id = pushedDeploymentId(pushed);
    expect(remoteLines(pushed)).toContain(
      `Live: ${id} in feature-remote-1 at http://feature-remote-1.localhost:8787`,
    );
    expect(remoteLines(pushed)).toContain('Skipping refs/tags/v1: only branches deploy.');
    expect(await api.getDeployment(id)).toMatchObject({ branch: 'feature/Remote_1', trigger: 'git-push' });
    expect(await liveIn('production')).toBe(production);

    const deleted = push(clone, ['origin', '--delete', 'feature/Remote_1']);
    expect(remoteLines(deleted)).toEqual([
      'Deleted feature-remote-1, the preview environment of feature/Remote_1; http://feature-remote-1.localhost:8787 answers 404 now.',
    ]);
    await expect(api.getEnvironment('feature-remote-1')).rejects.toMatchObject({ status: 404 });
    expect(await liveIn('production')).toBe(production);
  });

  it('never deletes production when the production branch is deleted', async () => {
    const { bare, clone } = await remoteWithHook();
    commitAll(clone, 'Config', { 'edgeway.yaml': gatewayConfig({ tag: 'kept' }) });
    push(clone, ['origin', 'main']);
    const production = await liveIn('production');
    // Git refuses to delete the branch HEAD names, and no hook runs for refs made in place.
    git(bare, ['symbolic-ref', 'HEAD', 'refs/heads/trunk']);
    git(bare, ['update-ref', 'refs/heads/stray', 'main']);
    const deleted = push(clone, ['origin', '--delete', 'main', 'stray']);
    expect(remoteLines(deleted)).toEqual([
      'main is the production branch: production is not deleted and serves what it served.',
      'stray had no preview environment (stray); nothing to delete.',
    ]);
    expect(await liveIn('production')).toBe(production);
  });

  it('tells the pusher when the control plane refuses the token, and the push still lands', async () => {
    const viewer = await controlPlane.createToken('viewer');
    const { bare, clone } = await remoteWithHook(viewer);
    const sha = commitAll(clone, 'Config', { 'edgeway.yaml': gatewayConfig() });
    const pushed = push(clone, ['origin', 'main']);
    expect(pushed.code).toBe(0);
    expect(remoteLines(pushed)).toContain(
      'edgeway: Role too low (403): This needs the deployer role; the token used has the viewer role.',
    );
    expect(git(bare, ['rev-parse', 'main']).trim()).toBe(sha);
  });

  it('says so when the commit has no config file', async () => {
    const { clone } = await remoteWithHook();
    commitAll(clone, 'Docs only', { 'README.md': '# gateway\n', '.github/workflows/ci.yml': 'on: push\n' });
    const pushed = push(clone, ['origin', 'main:docs']);
    expect(remoteLines(pushed).at(-1)).toBe(
      'edgeway: docs has no config file (.yaml, .yml or .json); nothing was deployed',
    );
  });
});
