/**
 * What `edgeway deploy` reads from Git, with the real `git` command: the commit at HEAD
 * (sha, branch, author, message), whether the config folder has uncommitted changes, and
 * which files Git tracks or would track there (ignored files never deploy).
 */
import { execFileSync } from 'node:child_process';
import { CliError } from './errors.ts';

export interface CommitInfo {
  readonly sha: string;
  /** Undefined on a detached HEAD. */
  readonly branch: string | undefined;
  readonly author: string;
  readonly message: string;
}

/** The API stores at most this much of a commit message. */
const MAX_MESSAGE_CHARS = 10_000;

export function git(dir: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new CliError('git is not installed or not on PATH');
    throw new CliError(`git ${args[0]} failed in ${dir}: ${failure.stderr?.trim() || failure.message}`);
  }
}

export function isInsideWorkTree(dir: string): boolean {
  try {
    return git(dir, ['rev-parse', '--is-inside-work-tree']).trim() === 'true';
  } catch {
    return false;
  }
}

export function readHeadCommit(dir: string): CommitInfo {
  if (!isInsideWorkTree(dir)) {
    throw new CliError(`${dir} is not in a Git repository; deploy deploys a commit (git init, git commit)`);
  }
  if (!hasHead(dir))
    throw new CliError(`the repository at ${dir} has no commit yet; commit the config first`);
  const [sha = '', author = '', message = ''] = git(dir, [
    'log',
    '-1',
    '--format=%H%x00%an <%ae>%x00%B',
  ]).split('\0');
  const branch = git(dir, ['branch', '--show-current']).trim() || undefined;
  return { sha, branch, author, message: message.trim().slice(0, MAX_MESSAGE_CHARS) };
}

/** Paths below `dir` (relative to it) that differ from HEAD, untracked ones included. */
export function uncommittedChanges(dir: string): string[] {
  const output = git(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.']);
  // Each entry is "XY path"; a rename carries its old path as the next entry.
  const entries = output.split('\0').filter(Boolean);
  const paths: string[] = [];
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index]!;
    paths.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') index += 1;
  }
  return paths;
}

/** Tracked and untracked-but-not-ignored files below `dir`, relative to it, `/`-separated. */
export function listGitFiles(dir: string): string[] {
  const output = git(dir, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '.']);
  return [...new Set(output.split('\0').filter(Boolean))];
}

function hasHead(dir: string): boolean {
  try {
    git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']);
    return true;
  } catch {
    return false;
  }
}
