-- Repositories registered for provider webhooks, and the deliveries already handled.
-- The webhook secret is sealed with AES-GCM under the SECRETS_KEY Worker secret
-- (control-plane/src/crypto/secret-box.ts); the provider API token is not stored at all,
-- only the name of the Worker secret that holds it.
CREATE TABLE repositories (
  id TEXT PRIMARY KEY,
  provider TEXT NOT NULL CHECK (provider IN ('github', 'gitlab')),
  -- `owner/name` on GitHub, the project path (`group/subgroup/project`) on GitLab.
  repository TEXT NOT NULL,
  api_base_url TEXT NOT NULL,
  webhook_secret_sealed TEXT NOT NULL,
  api_token_secret_name TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- Providers treat repository paths case-insensitively, and so does the webhook lookup.
CREATE UNIQUE INDEX repositories_by_path ON repositories (provider, repository COLLATE NOCASE);

-- One row per authenticated push delivery. The keys make the claim atomic: a delivery id
-- seen before, or a payload seen before (the signed bytes, whatever unsigned id they came
-- with), is a replay. Rows outlive their repository's registration.
CREATE TABLE webhook_deliveries (
  provider TEXT NOT NULL,
  delivery_id TEXT NOT NULL,
  -- SHA-256 (hex) of the raw request body.
  payload_sha256 TEXT NOT NULL,
  repository_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  PRIMARY KEY (provider, delivery_id)
);

CREATE UNIQUE INDEX webhook_deliveries_by_payload ON webhook_deliveries (provider, payload_sha256);
