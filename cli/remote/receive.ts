/**
 * What the post-receive hook does with a push. Git passes one `<old> <new> <ref>` line
 * per updated ref; for each branch, in that order, the files at its new commit are
 * deployed to its environment (trigger git-push) through the same upload as `edgeway
 * deploy`, and a deleted branch (new is the zero sha) has its preview environment
 * deleted. Everything is printed for the pusher, who sees it as `remote: ...`; a branch
 * that fails is reported and the next one still runs.
 */
import { branchEnvironment, environmentUrl } from '../../control-plane/src/deploy/environment-settings.ts';
import { PRODUCTION_ENVIRONMENT } from '../../src/config/branches.ts';
import { ApiError, type ControlPlaneClient, type DeploymentSummary } from '../lib/control-plane-client.ts';
import { CliError } from '../lib/errors.ts';
import { readCommit } from '../lib/git.ts';
import { reportFailure } from '../lib/report.ts';
import { uploadBundle } from '../lib/upload.ts';
import { readCommitFiles } from './commit-files.ts';

/** One pushed ref and the commit it points at now (the zero sha when it was deleted). */
export interface RefUpdate {
  readonly newSha: string;
  readonly ref: string;
}

const BRANCH_PREFIX = 'refs/heads/';
const ZERO_SHA = /^0+$/;

/** Git's post-receive input; blank lines are skipped. */
export function parseRefUpdates(input: string): RefUpdate[] {
  return input
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [oldSha, newSha, ref] = line.trim().split(' ');
      if (!oldSha || !newSha || !ref) {
        throw new CliError(`expected "<old> <new> <ref>" from Git, got "${line}"`);
      }
      return { newSha, ref };
    });
}

/** Applies every update; returns the exit code: 0 when all of them succeeded. */
export async function receivePush(
  client: ControlPlaneClient,
  repo: string,
  updates: readonly RefUpdate[],
): Promise<number> {
  let exitCode = 0;
  for (const { newSha, ref } of updates) {
    try {
      if (!ref.startsWith(BRANCH_PREFIX)) console.log(`Skipping ${ref}: only branches deploy.`);
      else if (ZERO_SHA.test(newSha)) await deleteBranch(client, ref.slice(BRANCH_PREFIX.length));
      else await deployBranch(client, repo, ref.slice(BRANCH_PREFIX.length), newSha);
    } catch (error) {
      exitCode = reportFailure(error, 'remote');
    }
  }
  return exitCode;
}

/** Deploys the config files at `revision` as a push of `branch` to `repo`. */
export async function deployBranch(
  client: ControlPlaneClient,
  repo: string,
  branch: string,
  revision: string,
): Promise<DeploymentSummary> {
  const { sha, author, message } = readCommit(repo, revision);
  console.log(`Deploying ${branch} at ${sha.slice(0, 12)} (${message.split('\n')[0]})...`);
  const files = readCommitFiles(repo, sha);
  if (Object.keys(files).length === 0) {
    throw new CliError(`${branch} has no config file (.yaml, .yml or .json); nothing was deployed`);
  }
  const bundle = { files, commit: sha, branch, author, message, trigger: 'git-push' } as const;
  // The files' paths are relative to the repository: errors name them as they are.
  return uploadBundle(client, bundle, '.');
}

async function deleteBranch(client: ControlPlaneClient, branch: string): Promise<void> {
  const settings = await client.getSettings();
  const environment = branchEnvironment(settings, branch);
  if (environment === PRODUCTION_ENVIRONMENT) {
    console.log(`${branch} is the production branch: production is not deleted and serves what it served.`);
    return;
  }
  try {
    await client.deleteEnvironment(environment);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    console.log(`${branch} had no preview environment (${environment}); nothing to delete.`);
    return;
  }
  console.log(
    `Deleted ${environment}, the preview environment of ${branch}; ${environmentUrl(settings, environment)} answers 404 now.`,
  );
}
