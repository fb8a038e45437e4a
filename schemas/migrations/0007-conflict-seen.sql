-- 0007: a soft conflict marked as seen.
--
-- A soft conflict (other fields of one record edited concurrently) asks
-- for no decision: both edits were kept.  It is shown so that nobody is
-- surprised, and once someone on this laptop has seen it she may dismiss
-- it, so that the conflicts page and the sync count hold only what still
-- needs attention.  Local to this store: not a change, never synced, and
-- only kind 'soft' (a hard conflict waits for a reviewer's decision, an
-- edit meeting a deletion stays shown).  jg_store_list_conflicts (…, TRUE)
-- still lists the dismissed ones.

ALTER TABLE conflict ADD COLUMN seen_at TEXT;
ALTER TABLE conflict ADD COLUMN seen_by TEXT;
