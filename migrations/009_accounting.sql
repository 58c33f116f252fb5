-- Accounting: the tenant's legal entities and their reference data (tax rates, GL accounts,
-- exchange rates), charges on orders, billing documents (invoices and credit notes) with their
-- lines, and the sync tasks an accounting package works through.
-- Amounts are numeric; every key leads with tenant_id.

create table billing_entities (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  code text not null,
  legal_name text not null,
  vat_number text not null,
  company_registration_number text not null,
  is_default boolean not null default false,
  -- Postal address and bank account, as sent (printed on documents, written into UBL).
  address jsonb not null default '{}',
  bank_account jsonb not null default '{}',
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  unique (tenant_id, code)
);
-- At most one default entity per tenant.
create unique index billing_entities_default_key on billing_entities (tenant_id) where is_default;

create table tax_rates (
  tenant_id uuid not null,
  id uuid not null,
  billing_entity_id uuid not null,
  code text not null,
  name text not null,
  description text not null default '',
  percentage numeric(9, 4) not null check (percentage >= 0 and percentage <= 100),
  base_percentage numeric(9, 4),
  tax_type text not null check (tax_type in ('VAT', 'NO_VAT', 'REVERSE_CHARGE', 'TRANSIT', 'CO_CONTRACTING', 'OTHER')),
  invoice_type text not null check (invoice_type in ('SALES', 'SALES_CREDIT_NOTE', 'PURCHASE', 'PURCHASE_CREDIT_NOTE')),
  archived boolean not null default false,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, billing_entity_id) references billing_entities (tenant_id, id),
  unique (tenant_id, billing_entity_id, invoice_type, code)
);

create table gl_accounts (
  tenant_id uuid not null,
  id uuid not null,
  billing_entity_id uuid not null,
  code text not null,
  name text not null,
  archived boolean not null default false,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, billing_entity_id) references billing_entities (tenant_id, id),
  unique (tenant_id, billing_entity_id, code)
);

create table exchange_rates (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  from_currency char(3) not null,
  to_currency char(3) not null,
  rate_date date not null,
  rate numeric(24, 12) not null check (rate > 0),
  inverse_rate numeric(24, 12) not null check (inverse_rate > 0),
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  -- One rate per pair and day: posting it again replaces it.
  unique (tenant_id, from_currency, to_currency, rate_date)
);

create table order_charges (
  tenant_id uuid not null,
  id uuid not null,
  order_id uuid not null,
  -- The order's customer, copied so invoicing and isolation need no join into the orders module.
  customer_company_id uuid not null,
  code text not null,
  name text not null,
  description text,
  quantity numeric(18, 6) not null check (quantity > 0),
  unit_price numeric(20, 6) not null,
  currency char(3) not null,
  tax_rate_id uuid not null,
  account_id uuid,
  -- A charge the customer must approve starts REQUESTED; others are APPROVED from the start.
  requires_approval boolean not null default false,
  approval_status text not null check (approval_status in ('TO_REQUEST', 'REQUESTED', 'REJECTED_INTERNAL', 'REJECTED', 'APPROVED')),
  -- Set when a draft invoice takes the charge; cleared if that draft is deleted.
  invoice_id uuid,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id),
  foreign key (tenant_id, tax_rate_id) references tax_rates (tenant_id, id),
  foreign key (tenant_id, account_id) references gl_accounts (tenant_id, id)
);
create index order_charges_order_idx on order_charges (tenant_id, order_id, created_at, id);
create index order_charges_invoice_idx on order_charges (tenant_id, invoice_id) where invoice_id is not null;

-- Sales and purchase invoices and credit notes: one table, one numbering rule, one lifecycle.
create table billing_documents (
  tenant_id uuid not null,
  id uuid not null,
  kind text not null check (kind in ('SALES_INVOICE', 'SALES_CREDIT_NOTE', 'PURCHASE_INVOICE', 'PURCHASE_CREDIT_NOTE')),
  status text not null check (status in ('DRAFT', 'INVOICED', 'POSTED')),
  billing_entity_id uuid not null,
  -- The customer (sales) or supplier (purchase).
  company_id uuid not null,
  currency char(3) not null,
  -- Gap-free per billing entity, kind and year; null while a draft.
  year integer,
  number integer,
  name text,
  external_name text,
  date date,
  due_date date,
  booking_date date,
  payment_term text,
  payment_status text not null default 'UNPAID' check (payment_status in ('UNPAID', 'PAID', 'OPEN', 'REFUNDED')),
  credited_document_id uuid,
  customer_reference_numbers jsonb not null default '[]',
  custom_fields jsonb not null default '{}',
  exchange_rate jsonb,
  total_excl_tax numeric(20, 6) not null default 0,
  total_tax numeric(20, 6) not null default 0,
  total_incl_tax numeric(20, 6) not null default 0,
  -- Tax per rate as computed when the document was written ({tax_key, percentage, taxable_amount, tax_amount}[]):
  -- a finalized document never changes, even if the rounding rules or rates do.
  tax_subtotals jsonb not null default '[]',
  -- Who made it: Waybill's invoicing, or an outside system through the contract's POST.
  origin text not null check (origin in ('WAYBILL', 'API')),
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  finalized_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, billing_entity_id) references billing_entities (tenant_id, id),
  foreign key (tenant_id, company_id) references companies (tenant_id, id),
  foreign key (tenant_id, credited_document_id) references billing_documents (tenant_id, id),
  unique (tenant_id, billing_entity_id, kind, year, number),
  check ((status = 'DRAFT') = (number is null))
);
create unique index billing_documents_name_key on billing_documents (tenant_id, kind, name) where name is not null;
create index billing_documents_company_idx on billing_documents (tenant_id, company_id, created_at, id);
create index billing_documents_credited_idx on billing_documents (tenant_id, credited_document_id) where credited_document_id is not null;

create table billing_document_lines (
  tenant_id uuid not null,
  id uuid not null,
  document_id uuid not null,
  position integer not null,
  charge_id uuid,
  -- The invoice line a credit-note line credits.
  credited_line_id uuid,
  order_id uuid,
  order_name text,
  code text not null,
  name text not null,
  description text,
  quantity numeric(18, 6) not null,
  unit_price numeric(20, 6) not null,
  amount numeric(20, 6) not null,
  -- The tax rate as it was when the line was made: later edits of the rate do not rewrite invoices.
  tax_rate_id uuid,
  tax_code text not null,
  tax_name text not null,
  tax_percentage numeric(9, 4) not null,
  tax_type text not null,
  account_code text,
  primary key (tenant_id, id),
  foreign key (tenant_id, document_id) references billing_documents (tenant_id, id) on delete cascade,
  unique (tenant_id, document_id, position)
);
create index billing_document_lines_credited_idx on billing_document_lines (tenant_id, credited_line_id) where credited_line_id is not null;

-- The files of a finalized document (PDF, UBL XML). A finalized document never changes, so the
-- bytes are rendered from it on download; the row gives each file a stable id and name.
create table billing_document_files (
  tenant_id uuid not null,
  id uuid not null,
  document_id uuid not null,
  type text not null check (type in ('PDF', 'UBL')),
  name text not null,
  content_type text not null,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, document_id) references billing_documents (tenant_id, id),
  unique (tenant_id, document_id, type)
);

create table sync_tasks (
  tenant_id uuid not null,
  id uuid not null,
  task_type text not null check (task_type in (
    'POST_INVOICE', 'POST_INVOICE_PURCHASE', 'POST_CREDIT_NOTE', 'POST_CREDIT_NOTE_PURCHASE',
    'PAID_INVOICE', 'PAID_INVOICE_PURCHASE', 'REFUNDED_CREDIT_NOTE', 'REFUNDED_CREDIT_NOTE_PURCHASE', 'DISPATCH')),
  status text not null check (status in ('TODO', 'COMPLETED', 'FAILED', 'WAITING')),
  document_id uuid not null,
  billing_entity_id uuid not null,
  failure jsonb,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, document_id) references billing_documents (tenant_id, id)
);
create index sync_tasks_open_idx on sync_tasks (tenant_id, created_at, id) where status = 'TODO';
