/**
 * The quickstart's Git remote for `npm start`: a bare repository in the persist folder,
 * made once with examples/quickstart committed on main, and its push-to-deploy hook
 * installed again on every start, so that it runs this checkout's CLI against this run's
 * control plane. A restart keeps the repository and everything pushed to it.
 */
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../../cli/lib/connection.ts';
import { git } from '../../cli/lib/git.ts';
import { installHook } from '../../cli/remote/hook.ts';

export const QUICKSTART_BRANCH = 'main';
/** The seed commit's author and committer: npm start made it, not the user. */
const SEED_IDENTITY = ['-c', 'user.name=Edgeway quickstart', '-c', 'user.email=quickstart@edgeway.invalid'];
const SEED_MESSAGE = 'Quickstart: the config of examples/quickstart';

/** Returns the repository's path. */
export function setUpQuickstartRemote(root: string, persistTo: string, connection: Connection): string {
  const path = join(persistTo, 'quickstart.git');
  if (!existsSync(path)) seed(path, join(root, 'examples', 'quickstart'));
  installHook(path, connection, false);
  return path;
}

/** Builds the repository beside `path` and moves it there whole, so a failed seed leaves nothing. */
function seed(path: string, example: string): void {
  const bare = `${path}.seeding`;
  const work = mkdtempSync(join(tmpdir(), 'edgeway-quickstart-'));
  try {
    rmSync(bare, { recursive: true, force: true });
    git(work, ['init', '--quiet', '--bare', '--initial-branch', QUICKSTART_BRANCH, bare]);
    git(work, ['init', '--quiet', '--initial-branch', QUICKSTART_BRANCH]);
    cpSync(example, work, { recursive: true });
    git(work, ['add', '--all']);
    git(work, [...SEED_IDENTITY, 'commit', '--quiet', '--message', SEED_MESSAGE]);
    git(work, ['push', '--quiet', bare, QUICKSTART_BRANCH]);
    renameSync(bare, path);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
