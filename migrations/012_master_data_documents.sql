-- Documents of companies and validities, and the unavailability a validity generates.

-- The validity a document proves (a company document sent with its validity, or a document sent
-- with a validity). Kept apart from the subject so a company document stays on the company's list
-- while it also shows under its validity.
alter table documents add column validity_id uuid;
create index documents_validity_idx on documents (tenant_id, validity_id, created_at, id) where validity_id is not null;

-- Validities are announced on the master_data feed, which carries a version per record.
alter table validities add column version integer not null default 1;
-- The open-ended unavailability a resource validity with generate_unavailability keeps from its
-- end_time on; moved or removed with the validity.
alter table validities add column unavailability_id uuid;
