-- The stored status document of each order: its GET /v1/orders/order/{id}/status answer, already
-- serialised, rewritten in the transaction of every change to the order. A status pull is then one
-- read by key that sends these bytes as they are. Orders older than this table get their row the
-- first time they are pulled (computed once, then kept up to date by their changes).
create table order_status_documents (
  tenant_id uuid not null,
  order_id uuid not null,
  -- Copied from the order so a customer's pull is scoped without reading the order.
  customer_company_id uuid not null,
  -- The customer company's version the document shows; a pull that finds the company changed since
  -- recomputes the document (the answer embeds the company).
  customer_version integer not null,
  document text not null,
  primary key (tenant_id, order_id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
);
