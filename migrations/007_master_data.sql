-- Master data in both directions: versioned companies, resources (eight variants), resource
-- groups, unavailability periods with tombstones, and echo suppression on webhook endpoints.

-- Every master-data record carries a version (the ETag); writes with If-Match compare it.
alter table companies add column version integer not null default 1;
create unique index companies_accounting_code_key on companies (tenant_id, accounting_code) where accounting_code is not null;

create table resource_groups (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null,
  code text,
  archived boolean not null default false,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id)
);
create unique index resource_groups_code_key on resource_groups (tenant_id, code) where code is not null;
create index resource_groups_list_idx on resource_groups (tenant_id, created_at, id);

create table resources (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- The variant, as ResourceTypeEnum names it (a truck is RIGID).
  resource_type text not null check (resource_type in ('DRIVER', 'TRACTOR', 'RIGID', 'VAN', 'TRAILER', 'FULL_TRAILER', 'CHASSIS', 'CONTAINER')),
  name text not null,
  external_id text,
  code text,
  subcontractor_id uuid,
  is_active boolean not null default true,
  -- The variant's sub-object (driver, tractor, ...), decimals kept as strings.
  properties jsonb not null default '{}',
  -- The other contract fields (note, locale, custom_fields, integrations, extras, billing_entity).
  details jsonb not null default '{}',
  version integer not null default 1,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, subcontractor_id) references companies (tenant_id, id)
);
create unique index resources_external_id_key on resources (tenant_id, external_id) where external_id is not null;
create index resources_updated_idx on resources (tenant_id, updated_at, id);
create index resources_type_idx on resources (tenant_id, resource_type, updated_at, id);

create table resource_group_members (
  tenant_id uuid not null,
  resource_id uuid not null,
  group_id uuid not null,
  primary key (tenant_id, resource_id, group_id),
  foreign key (tenant_id, resource_id) references resources (tenant_id, id),
  foreign key (tenant_id, group_id) references resource_groups (tenant_id, id)
);

create table resource_unavailabilities (
  tenant_id uuid not null,
  id uuid not null,
  resource_id uuid not null,
  reason text not null,
  start_time timestamptz not null,
  end_time timestamptz,
  description text,
  external_id text,
  version integer not null default 1,
  -- Set instead of deleting the row, so the tenant-wide feed can announce the deletion.
  deleted_at timestamptz,
  updated_at timestamptz not null,
  primary key (tenant_id, id),
  foreign key (tenant_id, resource_id) references resources (tenant_id, id),
  check (end_time is null or end_time > start_time)
);
create index resource_unavailabilities_window_idx on resource_unavailabilities (tenant_id, resource_id, start_time, id) where deleted_at is null;
create index resource_unavailabilities_feed_idx on resource_unavailabilities (tenant_id, updated_at, id);

-- Compliance validities (licences, certificates, insurances) of a resource or a subcontractor company.
create table validities (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  subject_type text not null check (subject_type in ('resource', 'company')),
  subject_id uuid not null,
  type text not null,
  start_time timestamptz not null,
  end_time timestamptz,
  legal_end_time timestamptz,
  generate_unavailability boolean not null default false,
  external_id text,
  description text,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  check (end_time is null or end_time > start_time)
);
create index validities_subject_idx on validities (tenant_id, subject_type, subject_id, start_time, id);

-- Echo suppression: changes made by these API clients (the receiver's own integration) are not
-- sent back to it, unless suppress_echo is turned off.
alter table webhook_endpoints add column integration_client_ids text[] not null default '{}';
alter table webhook_endpoints add column suppress_echo boolean not null default true;
