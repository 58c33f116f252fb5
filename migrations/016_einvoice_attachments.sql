-- Files a supplier sends with its e-invoice (its own PDF, a CMR…) are kept beside the files Waybill
-- renders for a document. Rendered files (PDF, UBL) are made from the document on download and
-- stay one of each; received ones carry their bytes in the blob store (sha256) and their type is
-- the contract's e-invoice document type, any number of them per document.
alter table billing_document_files drop constraint billing_document_files_type_check;
alter table billing_document_files drop constraint billing_document_files_tenant_id_document_id_type_key;
alter table billing_document_files
  add column sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  add column size_bytes bigint check (size_bytes >= 0),
  add constraint billing_document_files_kind check (
    (type in ('PDF', 'UBL') and sha256 is null and size_bytes is null)
    or (type in ('INVOICE', 'CREDIT_NOTE', 'OTHER') and sha256 is not null and size_bytes is not null)
  );
create unique index billing_document_files_rendered on billing_document_files (tenant_id, document_id, type) where sha256 is null;
create index billing_document_files_sha256 on billing_document_files (sha256) where sha256 is not null;
