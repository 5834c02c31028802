/**
 * Installs the post-receive hook that makes a bare repository deploy on push. The hook
 * is a two-line shell script that runs this CLI's `remote receive` with the Node that ran
 * the install (by absolute path: the hook runs with the pusher's PATH, whose `node` may be
 * too old to run TypeScript). The control plane's URL and token go in the repository's
 * own git config (edgeway.url, edgeway.token), not in the script: the script holds no
 * secret, a token is rotated with `git config`, and Git never serves a repository's
 * config to those who clone it. The config file is made private to its owner unless the
 * repository is shared between users (core.sharedRepository). A repository that takes its
 * hooks from elsewhere (core.hooksPath), maybe shared with others, is refused.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Connection } from '../lib/connection.ts';
import { CliError } from '../lib/errors.ts';
import { shellQuote } from '../lib/format.ts';
import { git, gitConfigValue } from '../lib/git.ts';

/** Marks a hook as ours: reinstalling replaces it, anything else is kept unless forced. */
const MARKER = 'Installed by `edgeway remote install`';
const CLI = resolve(import.meta.dirname, '../edgeway.ts');

export interface InstalledHook {
  readonly path: string;
  /** What the hook runs. */
  readonly command: readonly string[];
}

export function installHook(repo: string, connection: Connection, force: boolean): InstalledHook {
  if (!isBareRepository(repo)) {
    throw new CliError(`${repo} is not a bare Git repository; make one with: git init --bare ${repo}`);
  }
  const hooksPath = gitConfigValue(repo, 'core.hooksPath');
  if (hooksPath !== undefined) {
    throw new CliError(
      `${repo} takes its hooks from ${hooksPath} (core.hooksPath), which other repositories may share; unset it to install the hook in the repository`,
    );
  }
  const hooks = join(repo, 'hooks');
  const path = join(hooks, 'post-receive');
  if (!force && existsSync(path) && !readFileSync(path, 'utf8').includes(MARKER)) {
    throw new CliError(`${path} already exists and edgeway did not install it; pass --force to replace it`);
  }
  const command = [process.execPath, CLI, 'remote', 'receive'];
  mkdirSync(hooks, { recursive: true });
  writeFileSync(path, hookScript(command));
  chmodSync(path, 0o755);
  git(repo, ['config', 'edgeway.url', connection.url]);
  git(repo, ['config', 'edgeway.token', connection.token]);
  if (gitConfigValue(repo, 'core.sharedRepository') === undefined) {
    chmodSync(join(repo, 'config'), 0o600);
  }
  return { path, command };
}

function hookScript(command: readonly string[]): string {
  return `#!/bin/sh
# ${MARKER}: deploys every branch pushed here through the Edgeway
# control plane at \`git config edgeway.url\` (token: \`git config edgeway.token\`).
exec ${command.map(shellQuote).join(' ')}
`;
}

/** A bare repository's own folder (not a folder inside one). */
function isBareRepository(repo: string): boolean {
  if (!existsSync(repo)) return false;
  try {
    const [bare, gitDir] = git(repo, ['rev-parse', '--is-bare-repository', '--absolute-git-dir']).split('\n');
    return bare === 'true' && gitDir === realpathSync(repo);
  } catch {
    return false;
  }
}
