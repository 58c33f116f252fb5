-- Cheaper delivery bookkeeping, for throughput.
--
-- A delivery's latest attempt is kept on the delivery row itself; webhook_attempts holds the
-- earlier ones (an attempt moves there when the next one is made). Most messages succeed at the
-- first try, so most never write an attempt row (an insert, its indexes and a foreign-key check).
alter table webhook_deliveries
  add column last_attempt_id uuid,
  add column last_attempted_at timestamptz,
  add column last_latency_ms integer,
  add column last_response_excerpt text;

-- Leave room on each page so that taking a lease (columns no index covers) rewrites the row in
-- place instead of adding an entry to every index.
alter table webhook_deliveries set (fillfactor = 80);

-- The retention purge finds old rows through a block-range index on created_at (finished_at is
-- never earlier), which costs almost nothing to keep up, instead of a b-tree entry per finish.
drop index webhook_deliveries_finished_idx;
create index webhook_deliveries_created_brin on webhook_deliveries using brin (created_at);
