-- Foundation: tenants, API clients, companies, the event log and request idempotency.
-- Every tenant-owned table leads its keys with tenant_id (isolation, and sharding by tenant later).

create table server_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default date_trunc('milliseconds', now())
);

create table tenants (
  id uuid primary key,
  name text not null,
  created_at timestamptz not null default date_trunc('milliseconds', now())
);

create table tenant_counters (
  tenant_id uuid not null references tenants (id),
  name text not null,
  value bigint not null,
  primary key (tenant_id, name)
);

create table api_clients (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  client_id text not null unique,
  secret_hash text not null,
  name text not null,
  role text not null check (role in ('TENANT', 'CUSTOMER', 'SUBCONTRACTOR')),
  kind text not null check (kind in ('API', 'WEBHOOK')),
  company_id uuid,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  revoked_at timestamptz,
  primary key (tenant_id, id),
  check ((role = 'TENANT') = (company_id is null))
);

create table companies (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  code text,
  accounting_code text,
  name text not null,
  currency char(3) not null,
  locale text not null default 'en-GB',
  is_customer boolean not null default false,
  is_subcontractor boolean not null default false,
  is_buyer_or_seller boolean not null default false,
  archived_customer boolean not null default false,
  archived_subcontractor boolean not null default false,
  archived_buyer_or_seller boolean not null default false,
  -- The rest of the contract's company fields (contacts, payment terms, ...), as sent.
  details jsonb not null default '{}',
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id)
);
create unique index companies_code_key on companies (tenant_id, code) where code is not null;
create index companies_updated_idx on companies (tenant_id, updated_at, id);
create index companies_name_idx on companies (tenant_id, lower(name));

alter table api_clients
  add foreign key (tenant_id, company_id) references companies (tenant_id, id);

create table events (
  tenant_id uuid not null references tenants (id),
  position bigint not null,
  id uuid not null unique,
  type text not null,
  entity_type text not null,
  entity_id uuid not null,
  company_ids uuid[] not null default '{}',
  payload jsonb not null,
  occurred_at timestamptz not null default now(),
  primary key (tenant_id, position)
);
create index events_entity_idx on events (tenant_id, entity_type, entity_id, position);
create index events_time_idx on events (tenant_id, occurred_at);

create table idempotency_keys (
  tenant_id uuid not null references tenants (id),
  api_client_id uuid not null,
  key text not null,
  method_path text not null,
  request_hash text not null,
  status_code integer,
  response_body text,
  response_type text,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, api_client_id, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
