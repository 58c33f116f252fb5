-- Issued files in the blob store (issue 17). The PDF and UBL rendered when a document is issued are
-- written to the blob store like received files and the row points at them by sha256, so a
-- download streams from disk instead of carrying the bytes through the database. Rows issued
-- before this keep their bytea `content` (or, older still, none: rendered from the frozen document)
-- and are served as they are; a rendered row holds its bytes in one place only.
alter table billing_document_files drop constraint billing_document_files_kind;
alter table billing_document_files
  add constraint billing_document_files_kind check (
    (type in ('PDF', 'UBL') and (
      (sha256 is null and size_bytes is null)
      or (sha256 is not null and size_bytes is not null and content is null)
    ))
    or (type in ('INVOICE', 'CREDIT_NOTE', 'OTHER') and sha256 is not null and size_bytes is not null)
  );
-- Still one PDF and one UBL per document, now that they may carry a sha256 too.
drop index billing_document_files_rendered;
create unique index billing_document_files_rendered on billing_document_files (tenant_id, document_id, type) where type in ('PDF', 'UBL');
