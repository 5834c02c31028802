/**
 * The CLI's help, usage errors (exit 2), connection settings (flags, then environment
 * variables, then the config file) and an unreachable control plane (exit 1). No control
 * plane runs here: an unused loopback port stands for one that is not answering.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/ports.ts';
import { runCli } from '../support/cli.ts';

const COMMANDS = [
  'init',
  'validate',
  'deploy',
  'deployments',
  'rollback',
  'environments',
  'vars',
  'secrets',
  'consumers',
  'keys',
  'members',
  'hash-password',
  'remote',
];
let silentUrl: string;
beforeAll(async () => {
  silentUrl = `http://127.0.0.1:${await freePort()}`;
});

describe.concurrent('help', () => {
  it('lists every command, the connection settings and the exit codes', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(stdout).toContain('EDGEWAY_URL and EDGEWAY_TOKEN');
    expect(stdout).toContain('$XDG_CONFIG_HOME/edgeway/config.json');
    expect(stdout).toContain('Exit codes: 0 done, 1 the operation failed, 2 a usage error');
  });

  it.each(COMMANDS)('documents %s, with every option it accepts', async (command) => {
    const viaFlag = await runCli([command, '--help']);
    const viaHelp = await runCli(['help', command]);
    expect(viaFlag.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaFlag.stdout).toMatch(new RegExp(`^Usage: edgeway ${command}`));
    expect(viaFlag.stdout).toContain('-h, --help');
    const offline = ['init', 'validate', 'hash-password'];
    if (!offline.includes(command)) expect(viaFlag.stdout).toContain('--url <url>');
  });

  it('without a command prints the help to stderr and exits 2', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: edgeway <command>');
  });

  it('prints the version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^edgeway \d+\.\d+\.\d+\n$/);
  });
});

describe.concurrent('usage errors exit 2 with one readable line', () => {
  it.each([
    [['frob'], 'edgeway: unknown command "frob"; the commands are init, validate', 'edgeway --help'],
    [['validate', '--frob'], 'edgeway: unknown option --frob', 'edgeway validate --help'],
    [['init'], 'edgeway: missing argument <dir>', 'edgeway init --help'],
    [['validate', 'a', 'b'], 'edgeway: unexpected argument "b"', 'edgeway validate --help'],
    [
      ['deployments', '--limit', '0', '--url', 'http://x', '--token', 't'],
      '--limit "0": expected a whole number from 1 to 100',
      'edgeway deployments --help',
    ],
    [
      ['validate', '--environment', 'Prod'],
      '--environment "Prod": an environment name is',
      'edgeway validate --help',
    ],
    [
      ['rollback', 'latest', '--url', 'http://x', '--token', 't'],
      '"latest" is not a deployment id',
      'edgeway rollback --help',
    ],
    [
      ['environments', 'drop'],
      'unknown action "drop"; expected list or delete',
      'edgeway environments --help',
    ],
    [
      ['environments', 'delete', '--url', 'http://x', '--token', 't'],
      'missing argument <name>',
      'edgeway environments --help',
    ],
  ])('%j', async (args, message, help) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain(`Run "${help}" for usage.`);
  });
});

describe.concurrent('connection settings', () => {
  it('a missing URL names the flag, the variable and the config file', async () => {
    const { code, stderr } = await runCli(['deployments']);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^edgeway: no control plane URL: pass --url, set EDGEWAY_URL, or put "url" in \S+\/\.config\/edgeway\/config\.json\n/,
    );
  });

  it('a missing token names the flag, the variable and the config file', async () => {
    const { code, stderr } = await runCli(['environments', '--url', silentUrl]);
    expect(code).toBe(2);
    expect(stderr).toContain('edgeway: no API token: pass --token, set EDGEWAY_TOKEN, or put "token" in ');
  });

  it('takes the flag over the variable, and the variable over the config file', async () => {
    const configHome = mkdtempSync(join(tmpdir(), 'edgeway-cli-xdg-'));
    const fileUrl = `${silentUrl}/from-file`;
    writeConfig(join(configHome, 'edgeway', 'config.json'), { url: fileUrl, token: 'file-token' });
    const env = { XDG_CONFIG_HOME: configHome };

    const fromFile = await runCli(['environments'], { env });
    expect(fromFile.stderr).toContain(`the control plane at ${fileUrl} is not answering`);
    const fromVariable = await runCli(['environments'], {
      env: { ...env, EDGEWAY_URL: `${silentUrl}/from-env` },
    });
    expect(fromVariable.stderr).toContain(`the control plane at ${silentUrl}/from-env is not answering`);
    const fromFlag = await runCli(['environments', '--url', `${silentUrl}/from-flag`], {
      env: { ...env, EDGEWAY_URL: `${silentUrl}/from-env` },
    });
    expect(fromFlag.stderr).toContain(`the control plane at ${silentUrl}/from-flag is not answering`);
  });

  it('reads the file $EDGEWAY_CONFIG names, and says when it is missing or malformed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'edgeway-cli-config-')), 'edgeway.json');
    const named = await runCli(['deployments'], { env: { EDGEWAY_CONFIG: file } });
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`edgeway: EDGEWAY_CONFIG names ${file}, which does not exist`);

    writeFileSync(file, '{"url": ');
    const malformed = await runCli(['deployments'], { env: { EDGEWAY_CONFIG: file } });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain(`edgeway: cannot read the config file ${file}:`);

    writeConfig(file, { url: silentUrl, token: 't' });
    const used = await runCli(['deployments'], { env: { EDGEWAY_CONFIG: file } });
    expect(used.stderr).toContain(`the control plane at ${silentUrl} is not answering`);
  });

  it('refuses a URL that is not http(s)', async () => {
    const { code, stderr } = await runCli(['deployments', '--url', 'ftp://example.com', '--token', 't']);
    expect(code).toBe(2);
    expect(stderr).toContain('edgeway: the control plane URL "ftp://example.com" is not an http(s) URL');
  });
});

describe.concurrent('an unreachable control plane', () => {
  it.each([
    [['deployments']],
    [['environments']],
    [['environments', 'delete', 'feature-x']],
    [['rollback']],
    [['vars', '-e', 'production']],
  ])('%j says which URL is not answering and exits 1', async (args) => {
    const { code, stdout, stderr } = await runCli([...args, '--url', silentUrl, '--token', 't']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `edgeway: the control plane at ${silentUrl} is not answering (connection refused); check --url, EDGEWAY_URL or the config file, and that it is running\n`,
    );
  });
});

describe('a URL that is not a control plane', () => {
  it('says what answered instead of the API', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const { code, stderr } = await runCli(['environments', '--url', url, '--token', 't']);
      expect(code).toBe(1);
      expect(stderr).toBe(
        `edgeway: Not an API answer (404): ${url} answered GET /api/v1/environments with something other than JSON; is it an Edgeway control plane?\n`,
      );
    } finally {
      server.close();
    }
  });
});

function writeConfig(file: string, settings: Record<string, string>): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(settings));
}
