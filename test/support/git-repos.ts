/**
 * Real Git repositories in temporary folders for tests: created with files and a first
 * commit, then changed and committed again. Git runs without the machine's global and
 * system config, with a fixed author.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const AUTHOR = 'Ada Lovelace <ada@example.com>';

export const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ada Lovelace',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Lovelace',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
};

export function git(dir: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
}

export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** A repository on `branch` whose first commit holds `files`. */
export function createGitRepo(files: Readonly<Record<string, string>>, branch = 'main'): string {
  const dir = mkdtempSync(join(tmpdir(), 'edgeway-cli-repo-'));
  git(dir, ['init', '--quiet', '--initial-branch', branch]);
  writeFiles(dir, files);
  commitAll(dir, 'First config');
  return dir;
}

/** Writes `files` (if any) and commits everything; returns the new commit's sha. */
export function commitAll(
  dir: string,
  message: string,
  files: Readonly<Record<string, string>> = {},
): string {
  writeFiles(dir, files);
  git(dir, ['add', '--all']);
  git(dir, ['commit', '--quiet', '--allow-empty', '--message', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}
