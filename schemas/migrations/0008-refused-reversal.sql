-- 0008: a reversing service entry the server refused.
--
-- A reversal (冲正) the server refuses as a whole (the entry was reversed
-- from another laptop first, its hours were redeemed meanwhile, it names
-- an entry of another unit) is recorded on the laptop that made it, as a
-- refused redemption is: status 'rejected' with the server's reason.  It
-- then counts for nothing and blocks no new reversal.  Never sent: the
-- server does not hold the record.  (Redemptions have had both columns
-- from the start.)

ALTER TABLE service_entry ADD COLUMN status TEXT;
ALTER TABLE service_entry ADD COLUMN status_reason TEXT;
