-- Trips: a planned sequence of order stops, executed by a subcontractor or the tenant's own fleet.
-- Stop rows stay owned by the orders module; a trip only references them (trip_stops) and asks the
-- orders service to move their status. `version` is bumped by every change so planners can send
-- If-Match and a concurrent edit of the same trip loses with 412 instead of overwriting.

create table trips (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- Human name (TR-000001) from the per-tenant counter 'trip_name'; a match key in status webhooks.
  name text not null,
  -- The contract's TripStatusOutput; a cancelled trip keeps its last status and gets cancelled_at.
  status text not null check (status in ('CREATED', 'PLANNED', 'COMPLETED')),
  version integer not null default 1,
  -- Who executes it: nobody yet, a subcontractor company, or the tenant's own fleet.
  executor text not null default 'NONE' check (executor in ('NONE', 'SUBCONTRACTOR', 'FLEET')),
  subcontractor_company_id uuid,
  purchase_price numeric,
  purchase_currency char(3),
  -- Own resources as opaque references [{resource_type, id}] until master data validates them.
  resources jsonb not null default '[]',
  -- The executor's answer to the last dispatch message: NONE (not dispatched), SENT, ACCEPTED, REJECTED.
  dispatch_status text not null default 'NONE' check (dispatch_status in ('NONE', 'SENT', 'ACCEPTED', 'REJECTED')),
  dispatch_errors jsonb not null default '[]',
  dispatched_at timestamptz,
  -- The last snapshot sent to the executor: the next UPDATE lists what changed since (its `changes`).
  dispatched_snapshot jsonb,
  -- The span of the stops' requested dates, for listing trips by date.
  first_date date,
  last_date date,
  -- The external planner's key (trip-import's trip_identifier), unique per tenant.
  external_identifier text,
  cancelled_at timestamptz,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  unique (tenant_id, name),
  foreign key (tenant_id, subcontractor_company_id) references companies (tenant_id, id),
  check ((executor = 'SUBCONTRACTOR') = (subcontractor_company_id is not null))
);
create index trips_list_idx on trips (tenant_id, created_at, id);
create index trips_subcontractor_idx on trips (tenant_id, subcontractor_company_id, created_at, id) where subcontractor_company_id is not null;
create unique index trips_external_identifier_key on trips (tenant_id, external_identifier) where external_identifier is not null;

create table trip_stops (
  tenant_id uuid not null,
  trip_id uuid not null,
  -- An order stop (orders module); no foreign key so the orders module stays free to rewrite its rows.
  stop_id uuid not null,
  order_id uuid not null,
  sequence integer not null,
  -- False once the trip is cancelled: the stop may then be planned on another trip.
  active boolean not null default true,
  primary key (tenant_id, trip_id, stop_id),
  foreign key (tenant_id, trip_id) references trips (tenant_id, id) on delete cascade
);
-- The rule "a stop belongs to at most one active trip", enforced even between concurrent planners.
create unique index trip_stops_active_stop_key on trip_stops (tenant_id, stop_id) where active;
create index trip_stops_order_idx on trip_stops (tenant_id, order_id) where active;

-- Inbound status updates that matched no stop (or several): kept for the tenant to list and fix.
create table trip_unmatched_updates (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  api_client_id uuid not null,
  reason text not null check (reason in ('UNMATCHED', 'AMBIGUOUS')),
  message text not null,
  body jsonb not null,
  received_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id)
);
create index trip_unmatched_updates_list_idx on trip_unmatched_updates (tenant_id, received_at, id);
