/**
 * Host claims: which environment serves a host. A claim is an insert under the host's
 * primary key, so two environments deploying the same host at once cannot both win; the
 * loser sees the conflict before it writes any KV key.
 */

export interface HostConflict {
  readonly host: string;
  readonly environment: string;
}

export type HostClaim =
  | { readonly ok: true; readonly newlyClaimed: readonly string[] }
  | { readonly ok: false; readonly conflicts: readonly HostConflict[] };

/**
 * Claims `hosts` for `environment`, which already holds `held`. On a conflict nothing
 * stays claimed; on success the caller releases `newlyClaimed` if its publish fails.
 */
export async function claimHosts(
  db: D1Database,
  environment: string,
  hosts: readonly string[],
  held: readonly string[],
): Promise<HostClaim> {
  const list = JSON.stringify(hosts);
  const [, owned] = await db.batch<HostConflict>([
    db
      .prepare(
        `INSERT INTO environment_hosts (host, environment) SELECT value, ? FROM json_each(?) WHERE true
         ON CONFLICT (host) DO NOTHING`,
      )
      .bind(environment, list),
    db
      .prepare(
        `SELECT host, environment FROM environment_hosts
         WHERE host IN (SELECT value FROM json_each(?)) AND environment != ? ORDER BY host`,
      )
      .bind(list, environment),
  ]);
  const conflicts = owned?.results ?? [];
  const taken = new Set([...held, ...conflicts.map((conflict) => conflict.host)]);
  const newlyClaimed = hosts.filter((host) => !taken.has(host));
  if (conflicts.length === 0) return { ok: true, newlyClaimed };
  await releaseHostClaims(db, environment, newlyClaimed);
  return { ok: false, conflicts };
}

export async function releaseHostClaims(
  db: D1Database,
  environment: string,
  hosts: readonly string[],
): Promise<void> {
  await db
    .prepare(
      'DELETE FROM environment_hosts WHERE environment = ? AND host IN (SELECT value FROM json_each(?))',
    )
    .bind(environment, JSON.stringify(hosts))
    .run();
}
