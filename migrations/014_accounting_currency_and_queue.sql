-- Accounting, second pass: the sync-task queue pages in commit order, billing entities keep books
-- in a currency of their own, and invoice lines record the exchange rate a charge was converted at.

-- When a task (re)entered the TODO queue, drawn from the tenant's change clock so that a reader
-- paging the queue by (queued_at, id) never passes a task that commits later with an earlier time.
alter table sync_tasks add column queued_at timestamptz;
update sync_tasks set queued_at = created_at;
alter table sync_tasks alter column queued_at set not null;
drop index sync_tasks_open_idx;
create index sync_tasks_queue_idx on sync_tasks (tenant_id, queued_at, id) where status = 'TODO';

-- The currency the entity's books are kept in (EN 16931 BT-6 when an invoice is in another one).
alter table billing_entities add column currency text not null default 'EUR' check (currency ~ '^[A-Z]{3}$');

-- A charge billed in another currency than its invoice: its own currency and price, and the rate
-- (charge currency → invoice currency) and rate date it was converted at. All null otherwise.
alter table billing_document_lines add column source_currency text;
alter table billing_document_lines add column source_unit_price numeric(20, 6);
alter table billing_document_lines add column exchange_rate numeric(24, 12) check (exchange_rate > 0);
-- The rate's day as YYYY-MM-DD text: lines are read with every column, and no driver should turn it into a local-time Date.
alter table billing_document_lines add column exchange_rate_date text check (exchange_rate_date ~ '^\d{4}-\d{2}-\d{2}$');

