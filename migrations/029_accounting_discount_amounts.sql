-- Discounts as an amount (issue 17). A charge's discount is either a percentage of quantity × unit
-- price (since 020) or a fixed amount in the charge's currency, never both. The invoice line keeps
-- the amount in `allowance_amount` with no percentage; a line converted from another currency also
-- keeps the amount as given (`source_allowance_amount`), so finalizing can convert it again at the
-- rate of the invoice's date, as it does the unit price.
alter table order_charges
  add column discount_amount numeric(20, 6) check (discount_amount > 0),
  add constraint order_charges_one_discount check (discount_percentage is null or discount_amount is null);
alter table billing_document_lines add column source_allowance_amount numeric(20, 6);
