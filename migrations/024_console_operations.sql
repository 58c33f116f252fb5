-- What the tenant did with a status update that matched no stop: assigned it to a stop (the update
-- was then applied to that stop) or dismissed it with a reason. Open ones are the work queue.
alter table trip_unmatched_updates
  -- The sender's company (a subcontractor's), so files it sent are attributed to it when assigned.
  add column sender_company_id uuid,
  add column state text not null default 'OPEN' check (state in ('OPEN', 'ASSIGNED', 'DISMISSED')),
  add column stop_id uuid,
  -- The outcome of applying the update to that stop (APPLIED, DUPLICATE or STALE).
  add column outcome text,
  add column dismiss_reason text,
  add column settled_at timestamptz,
  -- The API client (or the user's session client) that assigned or dismissed it.
  add column settled_by uuid,
  add constraint trip_unmatched_updates_settled check (
    (state = 'OPEN' and settled_at is null)
    or (state = 'ASSIGNED' and stop_id is not null and outcome is not null and settled_at is not null)
    or (state = 'DISMISSED' and dismiss_reason is not null and settled_at is not null)
  );
create index trip_unmatched_updates_state_idx on trip_unmatched_updates (tenant_id, state, received_at, id);

-- The overview counts and lists failed messages across a tenant's endpoints.
create index webhook_deliveries_failed_idx on webhook_deliveries (tenant_id, created_at, id) where status = 'FAILED';

-- "Orders today": orders with a stop requested on a given date.
create index order_stops_requested_date_idx on order_stops (tenant_id, requested_date) where requested_date is not null;
