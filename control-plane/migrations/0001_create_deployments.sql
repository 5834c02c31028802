-- Deployments: one row per push, from `building` to live, failed, superseded or rolled back.
-- Ids are `dep_` + 26 base-32 characters, time-ordered, so `ORDER BY id` is creation order.
CREATE TABLE deployments (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('building', 'live', 'failed', 'superseded', 'rolled_back')),
  commit_id TEXT NOT NULL,
  branch TEXT NOT NULL,
  author TEXT NOT NULL,
  message TEXT NOT NULL,
  -- Set once the compile succeeds: content hash and compiled format of the blob in KV.
  hash TEXT,
  format INTEGER,
  -- Why a failed deployment failed; `errors` holds the compiler's errors as a JSON array.
  failure_reason TEXT,
  errors TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE INDEX deployments_by_environment ON deployments (environment, id);

-- The database itself guarantees that an environment never has two live deployments.
CREATE UNIQUE INDEX deployments_one_live_per_environment ON deployments (environment) WHERE status = 'live';
