-- 0001: the first schema of a Jinguo store (client and server alike).
--
-- Record tables have one column per field (common/jg-entity.c is the list)
-- and "_v": the per-field versions (hlc, base, rbase, replica) packed by
-- common/jg-store.c.  Rows are never removed: "deleted" is a tombstone.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Replica ids are 32 hex digits; rows and versions refer to them by index.
CREATE TABLE replica (
  idx        INTEGER PRIMARY KEY,
  replica_id TEXT NOT NULL UNIQUE
);

CREATE TABLE org_unit (
  id            INTEGER PRIMARY KEY,
  division_code TEXT NOT NULL,
  code_edition  TEXT NOT NULL,
  name          TEXT NOT NULL,
  level         TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county', 'township', 'village')),
  parent_id     INTEGER REFERENCES org_unit (id),
  path          TEXT NOT NULL,
  UNIQUE (division_code, code_edition)
);
CREATE INDEX org_unit_code ON org_unit (division_code);
CREATE INDEX org_unit_path ON org_unit (path);

CREATE TABLE user (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT,
  role          TEXT NOT NULL CHECK (role IN ('village_staff', 'township_staff', 'county_reviewer', 'county_admin')),
  org_unit      TEXT NOT NULL,
  password_hash TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
);

-- Every change this store knows of: its own (the outbox, until server_seq is
-- set) and those received.  seq is the local order of arrival.
CREATE TABLE change_log (
  seq         INTEGER PRIMARY KEY,
  replica_idx INTEGER NOT NULL REFERENCES replica (idx),
  counter     INTEGER NOT NULL,
  entity      TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  field       TEXT NOT NULL,
  value       TEXT NOT NULL,
  hlc         INTEGER NOT NULL,
  base        INTEGER NOT NULL,
  rbase       INTEGER NOT NULL,
  author      TEXT,
  server_seq  INTEGER,
  UNIQUE (replica_idx, counter)
);
CREATE INDEX change_log_record ON change_log (record_id, field);
CREATE INDEX change_log_unacked ON change_log (replica_idx, server_seq);

CREATE TABLE conflict (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('hard', 'soft', 'delete')),
  entity      TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  field       TEXT NOT NULL,
  a_field     TEXT NOT NULL,
  a_value     TEXT NOT NULL,
  a_hlc       INTEGER NOT NULL,
  a_replica   TEXT NOT NULL,
  a_author    TEXT,
  b_field     TEXT NOT NULL,
  b_value     TEXT NOT NULL,
  b_hlc       INTEGER NOT NULL,
  b_replica   TEXT NOT NULL,
  b_author    TEXT,
  detected_at TEXT NOT NULL,
  resolved_by TEXT,
  resolved_at TEXT
);
CREATE INDEX conflict_record ON conflict (record_id, field);

CREATE TABLE sync_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE household (
  rowid_ INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_unit TEXT, created_by TEXT, created_at TEXT, review_state TEXT, review_note TEXT, deleted INTEGER,
  head_name TEXT, address TEXT, member_count INTEGER, phone TEXT, tags TEXT,
  publicity_consent INTEGER, consent_at TEXT,
  _v BLOB NOT NULL
);
CREATE INDEX household_unit ON household (org_unit);

CREATE TABLE activity (
  rowid_ INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_unit TEXT, created_by TEXT, created_at TEXT, review_state TEXT, review_note TEXT, deleted INTEGER,
  title TEXT, category TEXT, start_at TEXT, end_at TEXT, location TEXT, organizer TEXT,
  partners TEXT, participants INTEGER, participants_women INTEGER, participants_children INTEGER,
  beneficiaries INTEGER, funds_yuan REAL, summary TEXT,
  _v BLOB NOT NULL
);
CREATE INDEX activity_unit ON activity (org_unit);
CREATE INDEX activity_start ON activity (start_at);

CREATE TABLE volunteer (
  rowid_ INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_unit TEXT, created_by TEXT, created_at TEXT, review_state TEXT, review_note TEXT, deleted INTEGER,
  name TEXT, gender TEXT, birth_year INTEGER, phone TEXT, id_last4 TEXT, team TEXT, skills TEXT,
  joined_at TEXT, active INTEGER,
  _v BLOB NOT NULL
);
CREATE INDEX volunteer_unit ON volunteer (org_unit);

CREATE TABLE service_entry (
  rowid_ INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_unit TEXT, created_by TEXT, created_at TEXT, review_state TEXT, review_note TEXT, deleted INTEGER,
  volunteer TEXT, minutes INTEGER, service_type TEXT, activity TEXT, served_at TEXT,
  recorded_by TEXT, reverses TEXT, reason TEXT,
  _v BLOB NOT NULL
);
CREATE INDEX service_entry_unit ON service_entry (org_unit);
CREATE INDEX service_entry_volunteer ON service_entry (volunteer);

CREATE TABLE redemption (
  rowid_ INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_unit TEXT, created_by TEXT, created_at TEXT, review_state TEXT, review_note TEXT, deleted INTEGER,
  volunteer TEXT, minutes INTEGER, item TEXT, item_name TEXT, beneficiary TEXT, status TEXT,
  status_reason TEXT, reverses TEXT, reason TEXT,
  _v BLOB NOT NULL
);
CREATE INDEX redemption_unit ON redemption (org_unit);
CREATE INDEX redemption_volunteer ON redemption (volunteer);

CREATE TABLE inspection (
  rowid_ INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_unit TEXT, created_by TEXT, created_at TEXT, review_state TEXT, review_note TEXT, deleted INTEGER,
  household TEXT, inspected_at TEXT, inspectors TEXT, stage TEXT, rubric TEXT, rubric_version INTEGER,
  item_scores TEXT, veto_hits TEXT, notes TEXT, total REAL, section_totals TEXT, star INTEGER,
  passed INTEGER, rectify_by TEXT,
  _v BLOB NOT NULL
);
CREATE INDEX inspection_unit ON inspection (org_unit);
CREATE INDEX inspection_household ON inspection (household);

CREATE TABLE designation (
  rowid_ INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_unit TEXT, created_by TEXT, created_at TEXT, review_state TEXT, review_note TEXT, deleted INTEGER,
  household TEXT, level TEXT, inspection TEXT, valid_from TEXT, valid_to TEXT, plaque_no TEXT,
  revoked INTEGER, revoked_at TEXT, revoked_reason TEXT,
  _v BLOB NOT NULL
);
CREATE INDEX designation_unit ON designation (org_unit);
CREATE INDEX designation_household ON designation (household);

CREATE TABLE award (
  rowid_ INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  org_unit TEXT, created_by TEXT, created_at TEXT, review_state TEXT, review_note TEXT, deleted INTEGER,
  household TEXT, family_name TEXT, award_type TEXT, level TEXT, year INTEGER, batch TEXT,
  deeds TEXT, nominated_by TEXT, state TEXT, notice_start TEXT, notice_end TEXT, objections TEXT,
  certificate_no TEXT, decline_reason TEXT,
  _v BLOB NOT NULL
);
CREATE INDEX award_unit ON award (org_unit);
CREATE INDEX award_household ON award (household);
