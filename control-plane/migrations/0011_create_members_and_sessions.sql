-- Team sign-in (control-plane/src/auth/): members with a role and a password, dashboard
-- sessions, failed sign-ins counted per email and client, and API tokens that belong to a
-- member. Only hashes are stored: PBKDF2 of a password (src/config/password-hash.ts),
-- SHA-256 of a session id or an API token.
CREATE TABLE members (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'deployer', 'viewer')),
  -- `$pbkdf2-sha256$i=<iterations>$<salt>$<hash>`; never returned by the API.
  password_hash TEXT NOT NULL,
  -- Set while the member is disabled: no sign-in, no session, no token works.
  disabled_at TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One member per email address, whatever its case.
CREATE UNIQUE INDEX members_by_email ON members (email COLLATE NOCASE);

CREATE TABLE sessions (
  -- SHA-256 hex of the random session id the cookie carries; the id itself is never stored.
  id_hash TEXT PRIMARY KEY,
  member_id TEXT NOT NULL,
  -- Checked on every mutation made with the session (hidden field `csrf` or `x-csrf-token`).
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

CREATE INDEX sessions_by_member ON sessions (member_id);

CREATE TABLE login_failures (
  -- SHA-256 hex of the lowercased email and the client IP.
  key_hash TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_started_at TEXT NOT NULL
);

-- API tokens gain the owner role and the member they belong to (null for tokens made
-- before members existed, or by the bootstrap ADMIN_TOKEN for no one in particular).
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt; nothing
-- references it, and its rows carry over unchanged.
CREATE TABLE api_tokens_new (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'deployer', 'viewer')),
  token_hash TEXT NOT NULL UNIQUE,
  member_id TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

INSERT INTO api_tokens_new (id, name, role, token_hash, created_by, created_at, revoked_at)
SELECT id, name, role, token_hash, created_by, created_at, revoked_at FROM api_tokens;

DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;

CREATE INDEX api_tokens_by_member ON api_tokens (member_id);
