-- What started each deployment (api, cli, git-push, github, gitlab), kept next to
-- created_by (who). Deployments made before this migration were all API calls.
ALTER TABLE deployments ADD COLUMN trigger TEXT NOT NULL DEFAULT 'api';

-- When an environment was deleted (`DELETE /api/v1/environments/:name`, or its branch
-- deleted). The row stays, holding the lease that serialises deletion with deploys; a
-- later deploy or rollback to the same name clears it and the environment is back.
ALTER TABLE environments ADD COLUMN deleted_at TEXT;
