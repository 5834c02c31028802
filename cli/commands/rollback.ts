/**
 * `edgeway rollback [id]`: makes an environment serve an earlier deployment again. With
 * an id, that deployment (in its own environment); without, the deployment made before
 * the live one that was itself live once, in --environment (default production).
 */
import { PRODUCTION_ENVIRONMENT } from '../../src/config/branches.ts';
import { DeploymentIdSchema } from '../../src/config/ids.ts';
import type { Command } from '../lib/command.ts';
import type { ControlPlaneClient, DeploymentSummary } from '../lib/control-plane-client.ts';
import { CliError, UsageError } from '../lib/errors.ts';
import { connect, connectionOptions, environmentName, environmentOption } from '../lib/options.ts';

/** Statuses of a deployment that was live once and so can be rolled back to. */
const ONCE_LIVE = new Set(['superseded', 'rolled_back']);
const PAGE_SIZE = 100;

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Serve an earlier deployment again.',
  description: `Rolls an environment back to an earlier deployment that was live once. Without an id,
the deployment made before the live one (skipping failed ones) in --environment. With an
id, that deployment, in the environment it was made to.

Examples:
  edgeway rollback                                   # production, one step back
  edgeway rollback --environment feature-login
  edgeway rollback dep_01jd2x7k4e9m3q8r5t6v0w1y2z`,
  arguments: [{ name: 'id', required: false, description: 'The deployment to serve again.' }],
  options: {
    environment: environmentOption(
      `The environment to roll back (default: ${PRODUCTION_ENVIRONMENT}, or the id's).`,
    ),
    ...connectionOptions,
  },
  async run({ values, positionals }) {
    const id = positionals[0];
    if (id !== undefined && !DeploymentIdSchema.safeParse(id).success) {
      throw new UsageError(
        `"${id}" is not a deployment id (dep_ and 26 characters; see edgeway deployments)`,
      );
    }
    const client = connect(values);
    const flagged = environmentName(values.environment);
    if (id !== undefined) {
      // The id's own environment, even one deleted since: rolling back brings it back.
      const environment = flagged ?? (await client.getDeployment(id)).environment;
      const after = await client.rollback(environment, id);
      console.log(`Rolled back ${environment} to ${id}. Served at ${after.url}`);
      return 0;
    }
    const environment = flagged ?? PRODUCTION_ENVIRONMENT;
    const live = (await client.getEnvironment(environment)).liveDeploymentId;
    const target = await deploymentBefore(client, environment, live);
    const after = await client.rollback(environment, target);
    console.log(`Rolled back ${environment} to ${target} (it was serving ${live}). Served at ${after.url}`);
    return 0;
  },
};

/** The newest deployment older than the live one that was live once. */
async function deploymentBefore(
  client: ControlPlaneClient,
  environment: string,
  live: string | null,
): Promise<string> {
  if (live === null) throw new CliError(`${environment} serves no deployment; there is nothing to roll back`);
  let cursor: string | null = live;
  while (cursor) {
    const page = await client.listDeployments({ environment, cursor, limit: PAGE_SIZE });
    const earlier = page.deployments.find((deployment: DeploymentSummary) =>
      ONCE_LIVE.has(deployment.status),
    );
    if (earlier) return earlier.id;
    cursor = page.nextCursor;
  }
  throw new CliError(
    `${environment} has no deployment before ${live} that was live; there is nothing to roll back to`,
  );
}
