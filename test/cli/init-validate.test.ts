/**
 * `edgeway init` and `edgeway validate`, which need no control plane: the scaffold is
 * complete and compiles, a non-empty folder is refused, and validate prints each error as
 * file:line:col with its JSON path (or JSON with --json) and exits 1; warnings go to
 * stderr without failing it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import {
  BROKEN_CONFIG,
  BROKEN_CONFIG_ERRORS,
  configWithUnusedUpstream,
  configWithVariable,
  gatewayConfig,
  UNUSED_UPSTREAM_WARNING,
} from '../support/gateway-configs.ts';
import { git } from '../support/git-repos.ts';

const root = resolve(import.meta.dirname, '../..');
const tempDir = () => mkdtempSync(join(tmpdir(), 'edgeway-cli-init-'));

function configFolder(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

describe.concurrent('init', () => {
  it('scaffolds a config repository whose config compiles for production and a preview', async () => {
    const parent = tempDir();
    const { code, stdout } = await runCli(['init', 'my-gateway'], { cwd: parent });
    expect(code).toBe(0);
    expect(stdout).toContain('Created a config repository in my-gateway');
    const dir = join(parent, 'my-gateway');
    for (const file of [
      'edgeway.yaml',
      'README.md',
      '.github/workflows/deploy.yml',
      '.edgeway/edgeway.schema.json',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const config = readFileSync(join(dir, 'edgeway.yaml'), 'utf8');
    expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=./.edgeway/edgeway.schema.json');
    expect(readFileSync(join(dir, '.edgeway/edgeway.schema.json'), 'utf8')).toBe(
      readFileSync(join(root, 'schema/edgeway.schema.json'), 'utf8'),
    );
    const workflow = readFileSync(join(dir, '.github/workflows/deploy.yml'), 'utf8');
    expect(workflow).toContain('npx --yes edgeway deploy');
    for (const name of ['EDGEWAY_URL', 'EDGEWAY_TOKEN']) {
      expect(workflow).toContain(`${name}: \${{ secrets.${name} }}`);
    }

    expect(await runCli(['validate'], { cwd: dir })).toMatchObject({ code: 0 });
    const preview = await runCli(['validate', '--environment', 'feature-login'], { cwd: dir });
    expect(preview.stdout).toBe('The config compiles for feature-login (2 routes).\n');
  });

  it('writes into an empty folder, or one holding only .git', async () => {
    const empty = tempDir();
    expect((await runCli(['init', empty])).code).toBe(0);
    const repo = tempDir();
    git(repo, ['init', '--quiet']);
    expect((await runCli(['init', repo])).code).toBe(0);
    expect(existsSync(join(repo, 'edgeway.yaml'))).toBe(true);
  });

  it('refuses a folder that is not empty, and writes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const { code, stdout, stderr } = await runCli(['init', dir]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `edgeway: ${dir} is not empty (notes.txt); init writes only into a new or empty folder\n`,
    );
    expect(existsSync(join(dir, 'edgeway.yaml'))).toBe(false);
  });

  it('refuses a file', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, '');
    const { code, stderr } = await runCli(['init', file]);
    expect(code).toBe(1);
    expect(stderr).toBe(`edgeway: ${file} exists and is not a folder\n`);
  });
});

describe.concurrent('validate', () => {
  it('reports a config that compiles', async () => {
    const dir = configFolder({ 'edgeway.yaml': gatewayConfig() });
    const { code, stdout, stderr } = await runCli(['validate', dir]);
    expect(code).toBe(0);
    expect(stdout).toBe(`The config in ${dir} compiles for production (2 routes).\n`);
    expect(stderr).toBe('');
  });

  it('prints every error as file:line:col with its JSON path, relative to the working folder, and exits 1', async () => {
    const parent = tempDir();
    mkdirSync(join(parent, 'gateway'));
    writeFileSync(join(parent, 'gateway', 'edgeway.yaml'), BROKEN_CONFIG);
    const { code, stdout } = await runCli(['validate', 'gateway'], { cwd: parent });
    expect(code).toBe(1);
    expect(stdout).toBe(
      [
        ...BROKEN_CONFIG_ERRORS.map((line) => `gateway/${line}`),
        '2 errors; the config does not compile for production.',
        '',
      ].join('\n'),
    );
    const here = await runCli(['validate'], { cwd: join(parent, 'gateway') });
    expect(here.stdout.split('\n').slice(0, 2)).toEqual(BROKEN_CONFIG_ERRORS);
  });

  it('prints machine-readable JSON with --json', async () => {
    const broken = configFolder({ 'edgeway.yaml': BROKEN_CONFIG });
    const failed = await runCli(['validate', broken, '--json']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toEqual({
      ok: false,
      environment: 'production',
      errors: [
        expect.objectContaining({ file: 'edgeway.yaml', line: 8, column: 15, path: '$.routes[0].upstream' }),
        expect.objectContaining({
          file: 'edgeway.yaml',
          line: 10,
          column: 9,
          path: '$.routes[0].outbound[0]',
        }),
      ],
    });
    const good = await runCli(['validate', configFolder({ 'edgeway.yaml': gatewayConfig() }), '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({
      ok: true,
      environment: 'production',
      hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      routes: 2,
      warnings: [],
    });
  });

  it('prints warnings to stderr as file:line:col: warning: and still exits 0, and lists them with --json', async () => {
    const dir = configFolder({ 'edgeway.yaml': configWithUnusedUpstream() });
    const { code, stdout, stderr } = await runCli(['validate'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toBe('The config compiles for production (2 routes).\n');
    const { path, message } = UNUSED_UPSTREAM_WARNING;
    expect(stderr).toBe(`edgeway.yaml:3:3: warning: ${path}: ${message}\n`);
    const json = await runCli(['validate', dir, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, warnings: [UNUSED_UPSTREAM_WARNING] });
  });

  it("compiles for the environment --environment names, whose vars fill the config's references", async () => {
    const config = configWithVariable('staging');
    const dir = configFolder({ 'edgeway.yaml': config });
    expect((await runCli(['validate', dir, '--environment', 'staging'])).code).toBe(0);
    const production = await runCli(['validate', dir]);
    expect(production.code).toBe(1);
    expect(production.stdout).toContain(
      'edgeway.yaml:4:10: $.upstreams.api.url: variable "API_URL" is not set in environment "production"',
    );
  });

  it('reports a folder without a config file', async () => {
    const { code, stdout } = await runCli(['validate'], { cwd: tempDir() });
    expect(code).toBe(1);
    expect(stdout).toContain(
      'edgeway.yaml:1:1: $: no config file; expected edgeway.yaml or edgeway.json at the root of the repository',
    );
  });

  it('refuses a folder that does not exist', async () => {
    const { code, stderr } = await runCli(['validate', 'no-such-folder'], { cwd: tempDir() });
    expect(code).toBe(1);
    expect(stderr).toBe('edgeway: no-such-folder is not a folder\n');
  });
});
