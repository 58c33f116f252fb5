-- Purchase side of accounting: which bill pays a subcontracted trip's agreed cost, and what Waybill
-- found when it matched a subcontractor's e-invoice against those costs.

-- Lines of purchase documents name the trip they bill (self-billing, or a matched e-invoice line).
alter table billing_document_lines add column trip_id uuid;

-- A received e-invoice is a third origin beside Waybill's own invoicing and the contract's POST.
alter table billing_documents drop constraint billing_documents_origin_check;
alter table billing_documents add constraint billing_documents_origin_check check (origin in ('WAYBILL', 'API', 'E_INVOICE'));

-- One row per billed trip: the primary key is what makes a trip's cost billed at most once, even
-- when two requests race. Deleting the draft that holds the claim frees the trip.
create table purchase_trip_claims (
  tenant_id uuid not null,
  trip_id uuid not null,
  document_id uuid not null,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, trip_id),
  foreign key (tenant_id, trip_id) references trips (tenant_id, id),
  foreign key (tenant_id, document_id) references billing_documents (tenant_id, id) on delete cascade
);
create index purchase_trip_claims_document_idx on purchase_trip_claims (tenant_id, document_id);

-- The outcome of matching a received e-invoice: MATCHED (amounts agree), MISMATCH (differences
-- listed), UNMATCHED (no trip of the subcontractor found). The stated totals are kept as sent.
create table purchase_einvoices (
  tenant_id uuid not null,
  document_id uuid not null,
  format text not null check (format in ('UBL', 'CII', 'JSON')),
  match_status text not null check (match_status in ('MATCHED', 'MISMATCH', 'UNMATCHED')),
  differences jsonb not null default '[]',
  stated_totals jsonb not null default '{}',
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, document_id),
  foreign key (tenant_id, document_id) references billing_documents (tenant_id, id) on delete cascade
);
