/**
 * `edgeway remote install <bare-repo>`: makes a bare Git repository deploy on push, by
 * installing a post-receive hook (cli/remote/hook.ts) and recording the control plane's
 * URL and token in the repository's git config. `edgeway remote receive` is what the hook
 * runs: it deploys or deletes the environment of every branch the push updated
 * (cli/remote/receive.ts).
 */
import { text } from 'node:stream/consumers';
import { environmentUrl } from '../../control-plane/src/deploy/environment-settings.ts';
import { PRODUCTION_ENVIRONMENT } from '../../src/config/branches.ts';
import type { Command, ParsedInput } from '../lib/command.ts';
import { resolveConnection } from '../lib/connection.ts';
import { ControlPlaneClient } from '../lib/control-plane-client.ts';
import { UsageError } from '../lib/errors.ts';
import { shellQuote } from '../lib/format.ts';
import { gitConfigValue } from '../lib/git.ts';
import { connect, connectionOptions, stringValue } from '../lib/options.ts';
import { installHook } from '../remote/hook.ts';
import { parseRefUpdates, receivePush } from '../remote/receive.ts';

export const remoteCommand: Command = {
  name: 'remote',
  usage: 'edgeway remote install|receive [bare-repo] [options]',
  summary: 'Make a bare Git repository deploy every branch pushed to it.',
  description: `"install" makes a bare Git repository, on any Git server you reach through the file
system or SSH, deploy on every push. It writes the repository's post-receive hook, which
runs \`edgeway remote receive\`, and records the control plane's URL and token (from
--url and --token, else EDGEWAY_URL and EDGEWAY_TOKEN, else the config file) in the
repository's git config as edgeway.url and edgeway.token, readable by its owner only
unless core.sharedRepository is set. The token needs the deployer role. The hook runs
this CLI with the Node that ran install, both by absolute path: install again after
moving either. A post-receive hook that edgeway did not write is kept unless --force,
and a repository that takes its hooks from elsewhere (core.hooksPath) is refused.

Then every branch a push updates is deployed: the config files (.yaml, .yml, .json) of
its new commit, recorded with the commit's sha, author and message, to production for
the control plane's production branch and to the branch's own preview environment for
any other. The pusher sees, as "remote:" lines, the deployment id and where it is
served, or the compile errors as file:line:col, in which case the environment keeps
serving what it served. Pushing a branch's deletion deletes its preview environment.
Tags are skipped.

"receive" is what the hook runs: it reads Git's "<old> <new> <ref>" lines on stdin in
the bare repository (default: the current folder, where Git runs hooks), connecting
with --url and --token, else the repository's edgeway.url and edgeway.token, else the
usual settings.

Example:
  git init --bare /srv/git/gateway.git
  edgeway remote install /srv/git/gateway.git --url https://control.example.com --token ewt_...
  git clone /srv/git/gateway.git gateway && cd gateway
  edit edgeway.yaml && git add . && git commit -m "First config" && git push`,
  arguments: [
    { name: 'action', required: true, description: '"install", or "receive" (run by the hook).' },
    {
      name: 'bare-repo',
      required: false,
      description: 'The bare repository (install: required; receive: default the current folder).',
    },
  ],
  options: {
    ...connectionOptions,
    force: {
      type: 'boolean',
      description: 'install: replace a post-receive hook that edgeway did not write.',
    },
  },
  async run(input) {
    const [action, repo] = input.positionals;
    if (action === 'install') return install(input, repo);
    if (action === 'receive') return receive(input, repo ?? '.');
    throw new UsageError(`unknown action "${action}"; expected install or receive`);
  },
};

async function install({ values }: ParsedInput, repo: string | undefined): Promise<number> {
  if (repo === undefined) {
    throw new UsageError('missing argument <bare-repo>: the repository to install into');
  }
  const connection = resolveConnection({ url: stringValue(values.url), token: stringValue(values.token) });
  // Checks the URL and the token before anything is written.
  const settings = await new ControlPlaneClient(connection.url, connection.token).getSettings();
  const hook = installHook(repo, connection, Boolean(values.force));
  console.log(`Installed ${hook.path}, which runs:
  ${hook.command.map(shellQuote).join(' ')}
Every push to ${repo} now deploys through ${connection.url}:
  ${settings.productionBranch} to production, served at ${environmentUrl(settings, PRODUCTION_ENVIRONMENT)}
  any other branch to its own preview, served at ${environmentUrl(settings, '<branch-slug>')}`);
  return 0;
}

async function receive({ values }: ParsedInput, repo: string): Promise<number> {
  if (process.stdin.isTTY) {
    throw new UsageError('receive reads "<old> <new> <ref>" lines from Git on stdin; the hook runs it');
  }
  const client = connect({
    url: stringValue(values.url) ?? gitConfigValue(repo, 'edgeway.url'),
    token: stringValue(values.token) ?? gitConfigValue(repo, 'edgeway.token'),
  });
  return receivePush(client, repo, parseRefUpdates(await text(process.stdin)));
}
