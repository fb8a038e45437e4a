-- 0002: sync.  Tables of the server (device tokens, login attempts, the
-- scope of every record) and of the client (quarantined changes).  Both
-- kinds of store get all of them: a store does not know which it is until
-- "jinguo-server init" or "jinguo-cli login" says so, and empty tables cost
-- nothing.  The client's cursor, server and token live in sync_state (0001).

-- A device's token is shown once; only its SHA-256 is kept, so a copy of
-- the store does not let anybody sign in.
CREATE TABLE device_token (
  token_hash   TEXT PRIMARY KEY,
  username     TEXT NOT NULL,
  replica      TEXT,
  device       TEXT,
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX device_token_user ON device_token (username);

-- Failed logins, per "user:NAME" and per "addr:ADDRESS", for rate limiting.
CREATE TABLE login_attempt (
  key   TEXT NOT NULL,
  at_ms INTEGER NOT NULL
);
CREATE INDEX login_attempt_key ON login_attempt (key, at_ms);

-- The server's scope of each record: its current unit and that unit's path.
-- Pull joins the change log to this table to send a caller only the changes
-- of records inside its subtree (path prefix).
CREATE TABLE record_scope (
  record_id TEXT PRIMARY KEY,
  entity    TEXT NOT NULL,
  org_unit  TEXT NOT NULL,
  path      TEXT NOT NULL
);
CREATE INDEX record_scope_path ON record_scope (path);

-- On a client: its own changes the server rejected.  They stay in the
-- change log (nothing typed is thrown away) but are not sent again until
-- the record is edited.
CREATE TABLE sync_rejected (
  counter     INTEGER PRIMARY KEY,
  code        TEXT NOT NULL,
  message     TEXT NOT NULL,
  field       TEXT,
  rejected_at TEXT NOT NULL
);
