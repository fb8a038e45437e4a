-- 0004: the export log.  PIPL: every export of personal data is recorded,
-- who made it, when, of what and how many rows (common/jg-export.c).  Local
-- to the store that wrote the file; it is not a replicated record.
CREATE TABLE export_log (
  id          INTEGER PRIMARY KEY,
  exported_at TEXT NOT NULL,
  username    TEXT,
  what        TEXT NOT NULL,
  format      TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
  rows        INTEGER NOT NULL,
  masked      INTEGER NOT NULL,
  path        TEXT
);
CREATE INDEX export_log_at ON export_log (exported_at);
