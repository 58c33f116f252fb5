-- Accounting you can file (issue 17).
-- A tax rate may state its VAT category (UNCL5305: S, Z, E, AE, K, G, O, L, M) and, for the
-- exempt ones, the VATEX code and wording the invoice must carry; lines copy them like the
-- rate's type and percentage, so a later edit of the rate changes no drafted or issued line.
alter table tax_rates
  add column vat_category text check (vat_category in ('S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M')),
  add column exemption_reason_code text check (exemption_reason_code ~ '^VATEX-[A-Z0-9-]{1,40}$'),
  add column exemption_reason text;
alter table billing_document_lines
  add column vat_category text,
  add column exemption_reason_code text,
  add column exemption_reason text;

-- A billing entity's Peppol participant id ({scheme, value}); the UBL addresses it by this when set.
alter table billing_entities add column peppol_id jsonb;

-- Issued means frozen: the parties as they were at finalization, and the rendered files' bytes.
alter table billing_documents add column issued_parties jsonb;
alter table billing_document_files add column content bytea;
