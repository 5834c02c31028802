/**
 * `edgeway deploy [dir]`: deploys the commit at HEAD. Reads sha, branch, author and
 * message from git, refuses uncommitted changes unless --allow-dirty, compiles locally
 * for the environment the control plane will pick (its production branch read from the
 * settings API, its vars set through the API) and stops on errors, printing
 * warnings without stopping, then uploads the bundle without an environment (the control plane
 * derives it from the branch) and reports the live deployment and where it is served.
 */
import { environmentForBranch } from '../../src/config/branches.ts';
import type { Command } from '../lib/command.ts';
import { ApiError, type ControlPlaneClient } from '../lib/control-plane-client.ts';
import { CliError, UsageError } from '../lib/errors.ts';
import { listSome, plural } from '../lib/format.ts';
import { type CommitInfo, readHeadCommit, uncommittedChanges } from '../lib/git.ts';
import { compileFolder, formatCompileErrors, printCompileWarnings } from '../lib/local-compile.ts';
import {
  connect,
  connectionOptions,
  environmentName,
  environmentOption,
  stringValue,
} from '../lib/options.ts';
import { uploadBundle } from '../lib/upload.ts';

const LISTED_CHANGES = 5;

export const deployCommand: Command = {
  name: 'deploy',
  summary: "Deploy the current commit to its branch's environment.",
  description: `Deploys the config folder as it is at the commit HEAD names: the production branch to
production, any other branch to its own preview environment (the control plane picks it
from the branch; --environment overrides). The commit's sha, branch, author and message
are read from git and recorded with the deployment. Uncommitted changes in the folder are
refused unless --allow-dirty (the commit is then recorded as <sha>-dirty). The config is
compiled locally first, for the environment the control plane will pick (its production
branch comes from GET /api/v1/settings), with the vars set for it through the API, and
nothing is uploaded when it has errors; they are printed as file:line:col. Warnings are
printed as file:line:col: warning: ... and do not stop the deploy. Exits 1 when the deployment does not go live.

Example:
  EDGEWAY_URL=https://control.example.com EDGEWAY_TOKEN=... edgeway deploy`,
  arguments: [
    { name: 'dir', required: false, description: 'The config folder (default: the current folder).' },
  ],
  options: {
    environment: environmentOption("Deploy to this environment instead of the branch's."),
    'allow-dirty': {
      type: 'boolean',
      description: 'Deploy the working tree even with uncommitted changes in the folder.',
    },
    branch: {
      type: 'string',
      value: '<name>',
      description:
        "The branch to record and deploy as (default: git's current branch; needed on a detached HEAD).",
    },
    ...connectionOptions,
  },
  async run({ values, positionals }) {
    const dir = positionals[0] ?? '.';
    const override = environmentName(values.environment);
    const client = connect(values);
    const commit = readCommit(dir, values);
    const branch = stringValue(values.branch) ?? commit.branch!;
    // The control plane's production branch, so the local compile targets the environment it will.
    const environment =
      override ?? environmentForBranch(branch, (await client.getSettings()).productionBranch);

    console.log(`Compiling ${dir} for ${environment} (${branch} at ${commit.sha.slice(0, 12)})...`);
    const { files, result } = await compileFolder(dir, environment, await apiVars(client, environment));
    if (!result.ok) {
      throw new CliError(
        `the config does not compile (${plural(result.errors.length, 'error')}); nothing was uploaded`,
        await formatCompileErrors(result.errors, dir),
      );
    }
    await printCompileWarnings(result, dir);

    await uploadBundle(
      client,
      {
        ...(override ? { environment: override } : {}),
        files,
        commit: commit.sha,
        branch,
        author: commit.author,
        message: commit.message,
        trigger: 'cli',
      },
      dir,
    );
    return 0;
  },
};

/** The vars set for the environment through the API; none for one that does not exist yet. */
async function apiVars(client: ControlPlaneClient, environment: string): Promise<Record<string, string>> {
  try {
    const { vars } = await client.listEnvironmentValues(environment);
    return Object.fromEntries(vars.map(({ name, value }) => [name, value]));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return {};
    throw error;
  }
}

function readCommit(dir: string, values: Record<string, string | boolean | undefined>): CommitInfo {
  const commit = readHeadCommit(dir);
  if (commit.branch === undefined && values.branch === undefined) {
    throw new UsageError('HEAD is detached; pass --branch <name> to say which branch this deploys');
  }
  const changes = uncommittedChanges(dir);
  if (changes.length === 0) return commit;
  if (!values['allow-dirty']) {
    throw new CliError(
      `${dir} has uncommitted changes (${listSome(changes, LISTED_CHANGES)}); commit them, or pass --allow-dirty to deploy them as they are`,
    );
  }
  return { ...commit, sha: `${commit.sha}-dirty` };
}
