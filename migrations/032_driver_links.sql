-- A driver's one-trip link (issue 23): the tenant or the trip's subcontractor shares one trip with a
-- driver. The link's token (in the URL's fragment) and the PIN told apart from it are both needed;
-- only their hashes are kept. Wrong PINs are counted and lock the link; it expires and can be
-- revoked. The driver's access token (after the PIN) is kept hashed beside it: one phone per link.
create table driver_links (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  trip_id uuid not null,
  -- The subcontractor that shared it (its links stop working when the trip leaves it); null: the tenant.
  company_id uuid,
  token_hash text not null,
  pin_hash text not null,
  access_hash text,
  failed_pins integer not null default 0,
  locked_at timestamptz,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  -- The API client (or the person's session client) that shared it: the driver acts in its name.
  created_by uuid not null,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, id),
  foreign key (tenant_id, trip_id) references trips (tenant_id, id),
  foreign key (tenant_id, created_by) references api_clients (tenant_id, id)
);
-- The driver's phone knows only the tokens, not the tenant: their hashes are the keys.
create unique index driver_links_token_idx on driver_links (token_hash);
create unique index driver_links_access_idx on driver_links (access_hash);
create index driver_links_trip_idx on driver_links (tenant_id, trip_id, created_at);
