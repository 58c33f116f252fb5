-- Documents: metadata rows pointing at content-addressed blobs (platform/storage).
-- A row without a subject is a staged upload (POST /v1/documents/document/upload_content); its id
-- is the upload_id that order imports reference. Attaching an upload creates a new row for the
-- subject that remembers the upload it came from, so one upload can back several subjects and
-- re-attaching it to the same subject is recognised instead of duplicated.

create table documents (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  name text not null,
  filename text not null,
  -- The contract's document type (DocumentType / VisibilityDocumentType values); null on uploads.
  type text,
  content_type text not null,
  size_bytes bigint not null check (size_bytes >= 0),
  sha256 char(64) not null,
  -- ORDER, CONSIGNMENT, STOP, TRIP, COMPANY, INVOICE, ...; null while the row is a staged upload.
  subject_type text,
  subject_id uuid,
  -- The order the subject belongs to, so an order's documents (its consignments' and stops' too)
  -- are one index range.
  order_id uuid,
  source_upload_id uuid,
  -- Customer/subcontractor companies allowed to see the document (the tenant always can).
  company_ids uuid[] not null default '{}',
  -- The API client that sent the bytes; null when a module attached content without one.
  uploaded_by uuid,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  check ((subject_type is null) = (subject_id is null)),
  check (subject_type is not null or type is null),
  foreign key (tenant_id, source_upload_id) references documents (tenant_id, id),
  foreign key (tenant_id, uploaded_by) references api_clients (tenant_id, id)
);
create index documents_order_idx on documents (tenant_id, order_id, created_at, id) where order_id is not null;
create index documents_subject_idx on documents (tenant_id, subject_type, subject_id) where subject_type is not null;
-- Blobs are shared by content across tenants; the blob sweep asks which hashes any row still uses.
create index documents_sha256_idx on documents (sha256);
create unique index documents_attached_upload_key on documents (tenant_id, source_upload_id, subject_type, subject_id)
  where source_upload_id is not null;
