-- Orders: the header row, its consignments, stops and goods, and the upload log of the import API.
-- Stops carry their own status, ETA and actual timestamps so the trip issue can move them
-- (PLANNED, DISPATCHED, AT_STOP, COMPLETED...) while the order status stays derived from them.

create table orders (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- Human name (OR-000001) from the per-tenant counter 'order_name'; a match key in webhooks.
  name text not null,
  order_identifier text not null,
  customer_company_id uuid not null,
  customer_reference_number text,
  -- The requested kind: a quote stays QUOTE until it is updated to TO_PLAN.
  is_quote boolean not null default false,
  -- Derived from the stops by the order status function; stored for filtering and visibility.
  status text not null check (status in ('QUOTE', 'TO_PLAN', 'PLANNED', 'IN_TRANSIT', 'COMPLETED', 'CANCELLED')),
  cancelled_at timestamptz,
  -- The customer entity as sent, and every other header field of the contract's input.
  customer_entity jsonb not null default '{}',
  header jsonb not null default '{}',
  -- Hash of the last accepted input: an identical UPDATE is a no-op.
  input_hash text not null,
  created_by_client_id uuid,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, customer_company_id) references companies (tenant_id, id),
  unique (tenant_id, name),
  unique (tenant_id, customer_company_id, order_identifier)
);
create index orders_updated_idx on orders (tenant_id, updated_at, id);
create index orders_customer_updated_idx on orders (tenant_id, customer_company_id, updated_at, id);
create index orders_reference_idx on orders (tenant_id, customer_reference_number) where customer_reference_number is not null;

create table order_consignments (
  tenant_id uuid not null,
  id uuid not null,
  order_id uuid not null,
  -- 0-based position in the order's consignment list; UPDATE keeps the id of the same position.
  position integer not null,
  reference_number text,
  details jsonb not null default '{}',
  primary key (tenant_id, id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade,
  -- Checked at commit: rewriting an order shifts positions before the stale rows are deleted.
  unique (tenant_id, order_id, position) deferrable initially deferred
);

create table order_stops (
  tenant_id uuid not null,
  id uuid not null,
  order_id uuid not null,
  -- Null for stops outside a consignment (reserved for standalone stops).
  consignment_id uuid,
  stop_type text not null check (stop_type in ('PICKUP', 'DELIVERY', 'CUSTOM')),
  -- Order-wide visiting order (stops[] in outputs).
  sequence integer not null,
  status text not null default 'TO_PLAN' check (status in (
    'TEMPLATE', 'BLOCKED', 'TO_PLAN', 'PLANNED', 'DISPATCHED', 'ROUTE_TO_STOP', 'AT_STOP', 'COMPLETED', 'CANCELLED', 'IGNORED')),
  requested_date date,
  location jsonb not null,
  reference_number text,
  -- Planned (ETA/ETD) and actual arrival/departure, written by trip execution.
  eta_start timestamptz,
  eta_end timestamptz,
  actual_start timestamptz,
  actual_end timestamptz,
  -- The rest of the stop input: time window, contacts, notes, extras, custom fields.
  details jsonb not null default '{}',
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade,
  foreign key (tenant_id, consignment_id) references order_consignments (tenant_id, id) on delete cascade
);
create index order_stops_order_idx on order_stops (tenant_id, order_id, sequence);
create index order_stops_reference_idx on order_stops (tenant_id, reference_number) where reference_number is not null;

create table order_goods (
  tenant_id uuid not null,
  id uuid not null,
  order_id uuid not null,
  consignment_id uuid not null,
  position integer not null,
  details jsonb not null default '{}',
  primary key (tenant_id, id),
  foreign key (tenant_id, consignment_id) references order_consignments (tenant_id, id) on delete cascade
);
create index order_goods_order_idx on order_goods (tenant_id, order_id);

create table order_uploads (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  api_client_id uuid not null,
  -- The company of a CUSTOMER client that uploaded; such clients see only their own uploads.
  uploader_company_id uuid,
  operation text not null,
  order_identifier text not null,
  status text not null check (status in (
    'TODO', 'IN_PROGRESS', 'READY_TO_UPSERT', 'UPSERT_IN_PROGRESS', 'COMPLETED', 'ERROR', 'SKIPPED', 'DUPLICATE')),
  order_id uuid,
  errors jsonb not null default '[]',
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id)
);
