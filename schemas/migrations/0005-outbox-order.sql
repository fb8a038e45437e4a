-- 0005: the outbox in counter order.
--
-- A device sends its unacknowledged changes oldest first, 1,000 at a time.
-- With (replica_idx, server_seq) alone SQLite sorted every unacknowledged
-- change for each batch: a first upload of 100,000 changes sorted them 100
-- times.  With counter in the index the batch is read in order.

DROP INDEX change_log_unacked;
CREATE INDEX change_log_unacked ON change_log (replica_idx, server_seq, counter);
