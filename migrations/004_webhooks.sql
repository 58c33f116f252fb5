-- Webhook delivery engine: endpoints (who receives what), a per-tenant fan-out checkpoint over the
-- event log, deliveries (one message to one endpoint, payload frozen at fan-out) and every attempt.

create table webhook_endpoints (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- The owner: null for the whole tenant, else the customer or subcontractor company it serves.
  company_id uuid,
  url text not null,
  description text,
  families text[] not null,
  -- Empty means every event type of the chosen families; entries are exact types or `prefix.*`.
  event_types text[] not null default '{}',
  secret text not null,
  -- While a rotated-out secret overlaps, messages carry signatures by both secrets.
  previous_secret text,
  previous_secret_expires_at timestamptz,
  basic_username text,
  basic_password text,
  headers jsonb not null default '{}',
  enabled boolean not null default true,
  disabled_reason text,
  -- Set by the first failure after a success; cleared by any success. Drives auto-disable.
  failing_since timestamptz,
  -- Events at or before this position predate the endpoint (or its re-enabling) and are not sent.
  start_position bigint not null,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, company_id) references companies (tenant_id, id)
);
create index webhook_endpoints_list_idx on webhook_endpoints (tenant_id, created_at, id);

create table webhook_checkpoints (
  tenant_id uuid primary key references tenants (id),
  position bigint not null default 0,
  lease_token uuid,
  lease_until timestamptz
);

create table webhook_deliveries (
  tenant_id uuid not null,
  id uuid not null,
  endpoint_id uuid not null,
  -- The `webhook-id` header: the same for every attempt and every redelivery of this message.
  message_id text not null,
  -- Orders deliveries of one entity to one endpoint; later rows wait while an earlier one is pending.
  seq bigserial not null,
  event_id uuid,
  event_position bigint,
  event_type text not null,
  entity_key text not null,
  payload text not null,
  status text not null default 'PENDING' check (status in ('PENDING', 'SUCCEEDED', 'FAILED')),
  attempt_count integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  lease_token uuid,
  lease_until timestamptz,
  last_status_code integer,
  last_error text,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  finished_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, endpoint_id) references webhook_endpoints (tenant_id, id) on delete cascade
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'PENDING';
create index webhook_deliveries_order_idx on webhook_deliveries (tenant_id, endpoint_id, entity_key, seq) where status = 'PENDING';
create index webhook_deliveries_list_idx on webhook_deliveries (tenant_id, endpoint_id, created_at, id);
create index webhook_deliveries_event_idx on webhook_deliveries (tenant_id, endpoint_id, event_id);
create index webhook_deliveries_finished_idx on webhook_deliveries (finished_at) where status <> 'PENDING';

create table webhook_attempts (
  tenant_id uuid not null,
  id uuid not null,
  delivery_id uuid not null,
  attempted_at timestamptz not null,
  status_code integer,
  latency_ms integer not null,
  response_excerpt text,
  error text,
  primary key (tenant_id, id),
  foreign key (tenant_id, delivery_id) references webhook_deliveries (tenant_id, id) on delete cascade
);
create index webhook_attempts_delivery_idx on webhook_attempts (tenant_id, delivery_id, attempted_at);
