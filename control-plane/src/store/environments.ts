/**
 * Reads of the environments table: which deployment each environment serves and which
 * hosts it claims. An environment's row appears with its first compiled deployment; a
 * deleted environment keeps its row, but is no longer listed or found.
 */
import type { DeploymentId } from '../../../src/config/ids.ts';

export interface EnvironmentRecord {
  readonly name: string;
  readonly liveDeploymentId: DeploymentId | null;
  readonly hosts: readonly string[];
  readonly updatedAt: string;
}

interface EnvironmentRow {
  name: string;
  live_deployment_id: string | null;
  hosts: string;
  updated_at: string;
}

const SELECT_ENVIRONMENTS = `
  SELECT e.name, e.live_deployment_id, e.updated_at,
    (SELECT json_group_array(host) FROM (SELECT host FROM environment_hosts WHERE environment = e.name ORDER BY host))
      AS hosts
  FROM environments e
  WHERE e.deleted_at IS NULL`;

export async function listEnvironments(db: D1Database): Promise<EnvironmentRecord[]> {
  const { results } = await db.prepare(`${SELECT_ENVIRONMENTS} ORDER BY e.name`).all<EnvironmentRow>();
  return results.map(toRecord);
}

export async function getEnvironment(db: D1Database, name: string): Promise<EnvironmentRecord | null> {
  const row = await db.prepare(`${SELECT_ENVIRONMENTS} AND e.name = ?`).bind(name).first<EnvironmentRow>();
  return row ? toRecord(row) : null;
}

/** What an environment serves now: enough to put its KV keys back if a publish fails. */
export interface LiveState {
  readonly deploymentId: DeploymentId | null;
  readonly format: number | null;
  readonly hosts: readonly string[];
}

export async function getLiveState(db: D1Database, environment: string): Promise<LiveState> {
  const row = await db
    .prepare(
      `SELECT e.live_deployment_id, d.format,
         (SELECT json_group_array(host) FROM environment_hosts WHERE environment = e.name) AS hosts
       FROM environments e LEFT JOIN deployments d ON d.id = e.live_deployment_id
       WHERE e.name = ?`,
    )
    .bind(environment)
    .first<{ live_deployment_id: string | null; format: number | null; hosts: string }>();
  return {
    deploymentId: (row?.live_deployment_id ?? null) as DeploymentId | null,
    format: row?.format ?? null,
    hosts: row ? (JSON.parse(row.hosts) as string[]) : [],
  };
}

function toRecord(row: EnvironmentRow): EnvironmentRecord {
  return {
    name: row.name,
    liveDeploymentId: row.live_deployment_id as DeploymentId | null,
    hosts: JSON.parse(row.hosts) as string[],
    updatedAt: row.updated_at,
  };
}
