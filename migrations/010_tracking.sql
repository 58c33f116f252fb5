-- Tracking: positions of own resources as a telematics provider reports them
-- (POST /v1/webhook/tracking-update). Each resource keeps a bounded history (the service prunes
-- all but the newest rows); the newest row is the resource's last known position. A position
-- reported twice (same resource, same time) is stored once.

create table resource_positions (
  tenant_id uuid not null references tenants (id),
  resource_id uuid not null,
  recorded_at timestamptz not null,
  latitude double precision not null check (latitude between -90 and 90),
  longitude double precision not null check (longitude between -180 and 180),
  received_at timestamptz not null default now(),
  primary key (tenant_id, resource_id, recorded_at),
  foreign key (tenant_id, resource_id) references resources (tenant_id, id)
);
