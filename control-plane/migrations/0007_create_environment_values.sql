-- Per-environment variables and secrets set through the API, applied from the next
-- deployment to the environment. A var's value is clear text; a secret's is sealed with
-- AES-GCM under the SECRETS_KEY Worker secret (control-plane/src/crypto/secret-box.ts),
-- bound to its environment and name. One name is either a var or a secret, not both.
CREATE TABLE environment_values (
  environment TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('var', 'secret')),
  value TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (environment, name)
);
