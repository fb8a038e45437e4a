-- 0004: on the server, every move of a record from one unit to another.
--
-- Pull sends a caller only the changes of records inside its subtree, by
-- each record's current unit.  When a reviewer moves a record, the units
-- that lose it must hear of it (a removal) and the units that gain it must
-- receive its history from before the move: seq is the server seq of the
-- org_unit change that moved it.

CREATE TABLE record_move (
  seq       INTEGER NOT NULL,
  record_id TEXT NOT NULL,
  entity    TEXT NOT NULL,
  old_path  TEXT NOT NULL,
  new_path  TEXT NOT NULL
);
CREATE INDEX record_move_seq ON record_move (seq);
