/**
 * Runs the `edgeway` CLI as a child process (the Node running the tests, on
 * cli/edgeway.ts), so exit codes and output are the real ones. The environment is
 * isolated: no EDGEWAY_* variables and a HOME without a config file, unless a test sets them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../../cli/edgeway.ts');
const emptyHome = mkdtempSync(join(tmpdir(), 'edgeway-cli-home-'));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  /** Added to the isolated environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to the command's stdin, which is then closed. */
  readonly input?: string;
}

export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('EDGEWAY_') && name !== 'XDG_CONFIG_HOME',
    ),
  );
  return new Promise((resolvePromise) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: options.cwd, env: { ...inherited, HOME: emptyHome, ...options.env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** The connection settings of `url` and `token` as flags. */
export function connectionFlags(url: string, token: string): string[] {
  return ['--url', url, '--token', token];
}
