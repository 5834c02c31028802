/**
 * `edgeway deployments`: lists deployments, newest first, optionally of one environment:
 * id, environment, status, commit, branch, trigger, when, and the commit message's first
 * line. --json prints the API's deployment objects.
 */
import type { Command } from '../lib/command.ts';
import { UsageError } from '../lib/errors.ts';
import { table, timestamp } from '../lib/format.ts';
import {
  connect,
  connectionOptions,
  environmentName,
  environmentOption,
  stringValue,
} from '../lib/options.ts';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export const deploymentsCommand: Command = {
  name: 'deployments',
  summary: 'List deployments, newest first.',
  description: `Lists the latest deployments of every environment, or of one with --environment, newest
first. A failed deployment's status is "failed"; \`edgeway deploy\` printed its errors.

Example:
  edgeway deployments --environment production --limit 5`,
  arguments: [],
  options: {
    environment: environmentOption('Only deployments to this environment.'),
    limit: {
      type: 'string',
      short: 'n',
      value: '<n>',
      description: `How many to list, 1-${MAX_LIMIT} (default: ${DEFAULT_LIMIT}).`,
    },
    json: { type: 'boolean', description: 'Print the deployments as a JSON array.' },
    ...connectionOptions,
  },
  async run({ values }) {
    const environment = environmentName(values.environment);
    const limit = parseLimit(stringValue(values.limit));
    const { deployments } = await connect(values).listDeployments({ environment, limit });
    if (values.json) {
      console.log(JSON.stringify(deployments, null, 2));
      return 0;
    }
    if (deployments.length === 0) {
      console.log(environment ? `No deployments to ${environment} yet.` : 'No deployments yet.');
      return 0;
    }
    const rows = deployments.map((deployment) => [
      deployment.id,
      deployment.environment,
      deployment.status,
      deployment.commit.slice(0, 12),
      deployment.branch,
      deployment.trigger,
      timestamp(deployment.createdAt),
      deployment.message.split('\n')[0]!,
    ]);
    console.log(
      table(['ID', 'ENVIRONMENT', 'STATUS', 'COMMIT', 'BRANCH', 'TRIGGER', 'CREATED', 'MESSAGE'], rows),
    );
    return 0;
  },
};

function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new UsageError(`--limit "${text}": expected a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}
