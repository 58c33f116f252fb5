-- People beside API clients: users a tenant admin invites, their sign-in sessions, and who did what.

create table users (
  tenant_id uuid not null references tenants (id),
  id uuid not null,
  -- Lower-cased; one address signs in to one tenant, so it is unique across tenants.
  email text not null,
  name text not null,
  role text not null check (role in ('TENANT', 'CUSTOMER', 'SUBCONTRACTOR')),
  company_id uuid,
  language text not null default 'en' check (language in ('en', 'nl', 'fr')),
  status text not null check (status in ('INVITED', 'ACTIVE', 'DISABLED')),
  -- argon2id (PHC string); null until the invite link has set one.
  password_hash text,
  -- The one live invite link: SHA-256 of its secret, and when it stops working. A new invite replaces
  -- both, so the old link dies; using it clears them, so a used link is dead too.
  invite_hash text,
  invite_expires_at timestamptz,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  last_sign_in_at timestamptz,
  -- Failed sign-ins in the current window: kept here so every process counts the same failures.
  failed_sign_ins integer not null default 0,
  failed_window_ends_at timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, company_id) references companies (tenant_id, id),
  check ((role = 'TENANT') = (company_id is null))
);
create unique index users_email_key on users (email);
create unique index users_invite_key on users (tenant_id, invite_hash) where invite_hash is not null;
create index users_list_idx on users (tenant_id, created_at, id);

-- Every user owns one hidden API client with the same id and no usable secret: the principal of a
-- session names it as its apiClientId, so idempotency keys, rate limits and `uploaded_by` work for
-- people exactly as for API clients.
alter table api_clients add column user_id uuid;
alter table api_clients add foreign key (tenant_id, user_id) references users (tenant_id, id);

-- A signed-in browser. The cookie holds `<tenant_id>.<secret>`; only the secret's SHA-256 is kept,
-- so several processes share sessions and a copy of the database signs nobody in.
create table user_sessions (
  tenant_id uuid not null references tenants (id),
  token_hash text not null,
  user_id uuid not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  primary key (tenant_id, token_hash),
  foreign key (tenant_id, user_id) references users (tenant_id, id)
);
create index user_sessions_user_idx on user_sessions (tenant_id, user_id);

-- Who did what: the API client or person whose request appended the event (null for the system).
alter table events add column actor_type text check (actor_type in ('api_client', 'user'));
alter table events add column actor_id uuid;
alter table events add column actor_name text;
