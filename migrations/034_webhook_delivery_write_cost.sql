-- Cheaper delivery writes (issue 21). Every delivery is inserted and then updated with its outcome;
-- the update changes `status`, which the pending-only indexes are defined on, so it is never HOT and
-- adds an entry to every full index. Each index less is one entry less per insert and per outcome.
--
-- The replay's "events without a delivery" lookup was this index's only reader; it now reads the
-- endpoint's deliveries through webhook_deliveries_list_idx (tenant_id, endpoint_id, created_at, id)
-- from the window's start on (see eventsWithoutDelivery).
drop index webhook_deliveries_event_idx;
