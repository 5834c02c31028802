-- Environments: the live deployment of each, and the lease that serialises deploys and
-- rollbacks to it. A lease has a holder (a deployment or rollback id) and an expiry in
-- milliseconds since the epoch, after which a crashed holder's lease can be taken over.
CREATE TABLE environments (
  name TEXT PRIMARY KEY,
  live_deployment_id TEXT REFERENCES deployments (id),
  lease_holder TEXT,
  lease_expires_at INTEGER,
  updated_at TEXT NOT NULL
);

-- Hosts claimed by an environment's live config. The primary key makes a claim atomic:
-- two environments can never both hold a host.
CREATE TABLE environment_hosts (
  host TEXT PRIMARY KEY,
  environment TEXT NOT NULL REFERENCES environments (name)
);

CREATE INDEX environment_hosts_by_environment ON environment_hosts (environment);
