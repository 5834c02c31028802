-- Consumers (who calls the gateway's APIs) and their API keys. The API checks the shape of
-- every value (control-plane/src/consumers/fields.ts); the constraints here are the ones
-- a row must never break. A key's plaintext is never stored: only the SHA-256 (hex) of the
-- whole key and a hint of its first characters. Each active key also has a record in KV
-- at `apikey/<key_hash>` that the data plane reads (src/config/api-keys.ts).
CREATE TABLE consumers (
  id TEXT PRIMARY KEY,
  -- Letters, digits, `.`, `_` and `-`, 1 to 64 of them; unique.
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  -- JSON array of tag strings.
  tags TEXT NOT NULL DEFAULT '[]' CHECK (json_type(tags) = 'array'),
  plan TEXT,
  -- JSON object, at most 1 KB serialized.
  metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_type(metadata) = 'object' AND length(CAST(metadata AS BLOB)) <= 1024),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  consumer_id TEXT NOT NULL REFERENCES consumers (id),
  -- `live` keys are for production, `test` keys for every preview environment.
  key_set TEXT NOT NULL CHECK (key_set IN ('live', 'test')),
  key_hash TEXT NOT NULL UNIQUE,
  hint TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  -- The key that replaced this one when it was rolled; this one then expires after a grace period.
  rolled_into TEXT REFERENCES api_keys (id)
);

CREATE INDEX api_keys_by_consumer ON api_keys (consumer_id, id);
