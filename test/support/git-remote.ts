/**
 * Push-to-deploy remotes for tests: a bare repository, a clone of it, and `git push` with
 * what the pusher sees. Git shows a hook's output as `remote: ...` lines on stderr;
 * `remoteLines` gives them back without the prefix. Git runs as in git-repos.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GIT_ENV, git } from './git-repos.ts';

export interface Push {
  readonly code: number | null;
  /** Everything git printed, hook output included. */
  readonly output: string;
  /** How long the push command took, in ms. */
  readonly ms: number;
}

export function createBareRepo(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'edgeway-remote-')), 'gateway.git');
  git(tmpdir(), ['init', '--quiet', '--bare', '--initial-branch', 'main', dir]);
  return dir;
}

/** A repository on main to push to `remote` from, as `origin`. */
export function cloneRepo(remote: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'edgeway-clone-')), 'gateway');
  git(tmpdir(), ['init', '--quiet', '--initial-branch', 'main', dir]);
  git(dir, ['remote', 'add', 'origin', remote]);
  return dir;
}

/** `git push <args>` from `dir`. */
export function push(dir: string, args: readonly string[]): Push {
  const started = performance.now();
  const run = spawnSync('git', ['push', ...args], { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
  return { code: run.status, output: run.stderr + run.stdout, ms: performance.now() - started };
}

/** The hook's output, as the pusher sees it, without Git's `remote: ` prefix. */
export function remoteLines(push: Push): string[] {
  return push.output
    .split('\n')
    .filter((line) => line.startsWith('remote: '))
    .map((line) => line.slice('remote: '.length).trimEnd());
}

/** The deployment id a push reports (`Live: dep_... in ...`); throws when it reports none. */
export function pushedDeploymentId(push: Push): string {
  const match = /^remote: Live: (dep_[0-9a-z]{26}) in /m.exec(push.output);
  if (!match) throw new Error(`the push deployed nothing:\n${push.output}`);
  return match[1]!;
}
