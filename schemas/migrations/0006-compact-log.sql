-- 0006: a compact change log.
--
-- The change log is most of a store: one row per field written, about
-- twelve per record.  Each row spelled out its record id (36 characters of
-- text), its record type and its field name, and the (record, field) index
-- repeated them.  Now a row holds the id's 16 bytes (jg_uuid_blob(); an id
-- that is not a UUID stays text) and a small number for the (record type,
-- field) pair, from change_field.  240,000 changes took 48 MB and take
-- 29 MB, and every insert, acknowledgement and read of the log moves that
-- much less.  The store adds the pairs it knows to change_field when it
-- opens; a code never changes once given.
--
-- change_log stays, as a view with the columns it had, for reading a store
-- by hand (sqlite3 store.db 'SELECT * FROM change_log').

CREATE TABLE change_field (
  code    INTEGER PRIMARY KEY,
  entity  TEXT NOT NULL,
  field   TEXT NOT NULL,
  UNIQUE (entity, field)
);
INSERT INTO change_field (entity, field)
  SELECT DISTINCT entity, field FROM change_log ORDER BY entity, field;

CREATE TABLE change_entry (
  seq         INTEGER PRIMARY KEY,
  replica_idx INTEGER NOT NULL REFERENCES replica (idx),
  counter     INTEGER NOT NULL,
  record      BLOB NOT NULL,     -- the record id's 16 bytes
  field       INTEGER NOT NULL,  -- change_field.code
  value       TEXT NOT NULL,
  hlc         INTEGER NOT NULL,
  base        INTEGER NOT NULL,
  rbase       INTEGER NOT NULL,
  author      TEXT,
  server_seq  INTEGER,
  UNIQUE (replica_idx, counter)
);
INSERT INTO change_entry (seq, replica_idx, counter, record, field, value, hlc, base, rbase,
                          author, server_seq)
  SELECT c.seq, c.replica_idx, c.counter, jg_uuid_blob (c.record_id), f.code, c.value, c.hlc,
         c.base, c.rbase, c.author, c.server_seq
  FROM change_log c JOIN change_field f ON f.entity = c.entity AND f.field = c.field
  ORDER BY c.seq;
DROP TABLE change_log;
CREATE INDEX change_entry_record ON change_entry (record, field);
CREATE INDEX change_entry_unacked ON change_entry (replica_idx, server_seq, counter);

CREATE VIEW change_log AS
  SELECT c.seq, c.replica_idx, c.counter, f.entity,
         CASE WHEN typeof (c.record) = 'blob' THEN
           lower (substr (hex (c.record), 1, 8) || '-' || substr (hex (c.record), 9, 4) || '-' ||
                  substr (hex (c.record), 13, 4) || '-' || substr (hex (c.record), 17, 4) || '-' ||
                  substr (hex (c.record), 21))
         ELSE c.record END AS record_id,
         f.field, c.value, c.hlc, c.base, c.rbase, c.author, c.server_seq
  FROM change_entry c JOIN change_field f ON f.code = c.field;
