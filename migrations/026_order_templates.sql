-- A customer's order templates (issue 23, the customer portal): an order's contents without its key,
-- saved under a name to book again from. Each belongs to one customer company of one tenant, and
-- its name is unique there so a person can tell them apart.
create table order_templates (
  tenant_id uuid not null,
  id uuid not null,
  company_id uuid not null,
  name text not null,
  -- The order's header fields and consignments, as the upload takes them (without operation and key).
  body jsonb not null,
  created_by uuid,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, company_id) references companies (tenant_id, id) on delete cascade
);
create unique index order_templates_name_idx on order_templates (tenant_id, company_id, name);
