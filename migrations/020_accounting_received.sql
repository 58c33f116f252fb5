-- Received supplier invoices stay the supplier's (issue 17): where the supplier asks to be paid,
-- as its invoice states it (IBAN, BIC, account name, remittance reference), kept with the match.
-- A received document takes no number of Waybill's series: its `number`, `year` and `name` stay
-- null and its `external_name` is the supplier's number.
alter table purchase_einvoices add column stated_payment jsonb;

-- Numbered once finalized, except a received invoice: it is never numbered in Waybill's series
-- (earlier ones finalized with a number keep it).
alter table billing_documents drop constraint billing_documents_check;
alter table billing_documents add constraint billing_documents_numbered_check check (origin = 'E_INVOICE' or ((status = 'DRAFT') = (number is null)));

-- The date of supply (BT-72) or invoicing period (BT-73/BT-74): the delivery days of the orders an
-- invoice bills, from the first to the last; a credit note carries its invoice's. Null: the issue date.
alter table billing_documents add column supply_start date, add column supply_end date;

-- Line discounts (EN 16931 BG-27): a charge's discount as a percentage of quantity × unit price,
-- copied to its invoice line with the amount it comes to; the line's amount is net of it.
alter table order_charges
  add column discount_percentage numeric(9, 4) check (discount_percentage > 0 and discount_percentage <= 100),
  add column discount_reason text;
alter table billing_document_lines
  add column allowance_percentage numeric(9, 4),
  add column allowance_amount numeric(20, 6),
  add column allowance_reason text;
