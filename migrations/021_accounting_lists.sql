-- Lists an accountant needs (issue 17).
-- Each document kind is listed in (updated_at, id) order, filtered by `updated_after` and paged by it.
create index billing_documents_changes_idx on billing_documents (tenant_id, kind, updated_at, id);

-- A credit note's refund status is OPEN or REFUNDED, an invoice's payment status UNPAID or PAID.
-- Credit notes an accounting package sent took the table's default (UNPAID) until now.
update billing_documents set payment_status = 'OPEN' where kind like '%CREDIT_NOTE' and payment_status = 'UNPAID';
update billing_documents set payment_status = 'REFUNDED' where kind like '%CREDIT_NOTE' and payment_status = 'PAID';
alter table billing_documents add constraint billing_documents_payment_status_kind check (
  case when kind like '%CREDIT_NOTE' then payment_status in ('OPEN', 'REFUNDED') else payment_status in ('UNPAID', 'PAID') end
);

-- The sync queue listed by status (FAILED ones, to fix and retry), in queue order.
create index sync_tasks_status_idx on sync_tasks (tenant_id, status, queued_at, id);
