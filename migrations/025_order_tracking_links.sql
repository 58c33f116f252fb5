-- The public tracking link of an order (issue 23): one live link per order, found by the SHA-256 of
-- its token (the token itself is shown once and never stored). A new link replaces the row, so the
-- old token stops working; revoking deletes it.
create table order_tracking_links (
  tenant_id uuid not null,
  order_id uuid not null,
  token_hash text not null,
  -- The API client (or the user's session client) that made the link.
  created_by uuid,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, order_id),
  foreign key (tenant_id, order_id) references orders (tenant_id, id) on delete cascade
);
-- The public read knows only the token, not the tenant: its hash is the key.
create unique index order_tracking_links_token_idx on order_tracking_links (token_hash);
