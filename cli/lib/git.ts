/**
 * What the CLI reads from Git, with the real `git` command: a commit's sha, author and
 * message (and at HEAD its branch), whether the config folder has uncommitted changes,
 * which files Git tracks or would track there (ignored files never deploy), and a
 * repository's own config values.
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
/** Room for a whole bundle's file (10 MiB at most) or a large tree listing. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export function git(dir: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: MAX_OUTPUT_BYTES,
    });
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
  const branch = git(dir, ['branch', '--show-current']).trim() || undefined;
  return { ...readCommit(dir, 'HEAD'), branch };
}

/** The sha, author and message of the commit `revision` names. */
export function readCommit(dir: string, revision: string): Omit<CommitInfo, 'branch'> {
  const format = '--format=%H%x00%an <%ae>%x00%B';
  const [sha = '', author = '', message = ''] = git(dir, ['log', '-1', format, revision, '--']).split('\0');
  return { sha, author, message: message.trim().slice(0, MAX_MESSAGE_CHARS) };
}

/** A value of the repository's git config; undefined when it is not set. */
export function gitConfigValue(dir: string, key: string): string | undefined {
  try {
    return git(dir, ['config', '--get', key]).trim() || undefined;
  } catch {
    return undefined;
  }
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
