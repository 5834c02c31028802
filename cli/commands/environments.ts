/**
 * `edgeway environments`: lists environments (name, live deployment, URL, hosts), and
 * `edgeway environments delete <name>` removes a preview environment, after which its
 * URL answers 404. Production cannot be deleted.
 */
import type { Command, ParsedInput } from '../lib/command.ts';
import { UsageError } from '../lib/errors.ts';
import { table, timestamp } from '../lib/format.ts';
import { connect, connectionOptions } from '../lib/options.ts';

export const environmentsCommand: Command = {
  name: 'environments',
  usage: 'edgeway environments [list | delete <name>] [options]',
  summary: 'List environments, or delete a preview environment.',
  description: `Without an action (or with "list"), lists the environments with the deployment each one
serves, its URL and its hosts. "delete <name>" removes a preview environment: its
deployments stay in the history, and its URL answers 404 until a deploy brings it back.
Production cannot be deleted.

Examples:
  edgeway environments
  edgeway environments delete feature-login`,
  arguments: [
    { name: 'action', required: false, description: '"list" (the default) or "delete".' },
    { name: 'name', required: false, description: 'With delete: the environment to delete.' },
  ],
  options: {
    json: { type: 'boolean', description: 'List: print the environments as a JSON array.' },
    ...connectionOptions,
  },
  async run(input) {
    const [action = 'list', name] = input.positionals;
    if (action === 'delete') return deleteEnvironment(input, name);
    if (action !== 'list') throw new UsageError(`unknown action "${action}"; expected list or delete`);
    if (name !== undefined) throw new UsageError(`unexpected argument "${name}"`);
    return listEnvironments(input);
  },
};

async function listEnvironments({ values }: ParsedInput): Promise<number> {
  const { environments } = await connect(values).listEnvironments();
  if (values.json) {
    console.log(JSON.stringify(environments, null, 2));
  } else if (environments.length === 0) {
    console.log('No environments yet: the first deploy creates one.');
  } else {
    const rows = environments.map((environment) => [
      environment.name,
      environment.liveDeploymentId ?? '-',
      environment.url,
      environment.hosts.join(', '),
      timestamp(environment.updatedAt),
    ]);
    console.log(table(['NAME', 'LIVE DEPLOYMENT', 'URL', 'HOSTS', 'UPDATED'], rows));
  }
  return 0;
}

async function deleteEnvironment({ values }: ParsedInput, name: string | undefined): Promise<number> {
  if (name === undefined) throw new UsageError('missing argument <name>: the environment to delete');
  await connect(values).deleteEnvironment(name);
  console.log(`Deleted environment ${name}.`);
  return 0;
}
