-- Gitea and Forgejo repositories (provider `gitea`). SQLite cannot change a CHECK
-- constraint in place, so the repositories table is rebuilt with the wider one; nothing
-- references it, and its rows and unique index carry over unchanged.
CREATE TABLE repositories_new (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL CHECK (provider IN ('github', 'gitlab', 'gitea')),
  -- `owner/name` on GitHub, Gitea and Forgejo; the project path on GitLab.
  repository TEXT NOT NULL,
  api_base_url TEXT NOT NULL,
  webhook_secret_sealed TEXT NOT NULL,
  api_token_secret_name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

INSERT INTO repositories_new
  (id, provider, repository, api_base_url, webhook_secret_sealed, api_token_secret_name, created_by, created_at)
SELECT id, provider, repository, api_base_url, webhook_secret_sealed, api_token_secret_name, created_by, created_at
FROM repositories;

DROP TABLE repositories;
ALTER TABLE repositories_new RENAME TO repositories;

CREATE UNIQUE INDEX repositories_by_path ON repositories (provider, repository COLLATE NOCASE);
