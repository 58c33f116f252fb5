-- Bookings made for a trip's stop by an outside system: a time slot at the stop's location (location
-- booking) or the intermodal leg that starts there (a rail or ferry booking). Waybill's booking id is
-- the stop's id, so a booking system names what it booked without a second identifier; one row per
-- stop and kind holds what the system reported last.
create table trip_bookings (
  tenant_id uuid not null references tenants (id),
  stop_id uuid not null,
  kind text not null check (kind in ('LOCATION', 'INTERMODAL')),
  -- The trip the stop was on when the booking was last reported.
  trip_id uuid not null,
  -- The contract's BookingStatus.
  status text not null check (status in ('TO_REQUEST', 'REQUESTED', 'BOOKED', 'CANCELLED')),
  -- The operator's own reference (intermodal), a match key for later updates.
  booking_reference text,
  -- Intermodal per-port references: {arrival_reference_number, departure_reference_number}.
  port_references jsonb,
  -- Execution statuses as reported, chronological, each once.
  execution_statuses jsonb not null default '[]',
  skip_dispatch boolean not null default false,
  -- The last failure the operator reported (ErrorStatus), cleared by a later success.
  failure jsonb,
  -- Answers to questions (not files: those become the order's documents).
  question_answers jsonb not null default '{}',
  -- The newest event time applied: an older report does not overwrite what a newer one said.
  event_time timestamptz not null,
  created_at timestamptz not null default date_trunc('milliseconds', now()),
  updated_at timestamptz not null default date_trunc('milliseconds', now()),
  primary key (tenant_id, stop_id, kind),
  foreign key (tenant_id, trip_id) references trips (tenant_id, id)
);
create index trip_bookings_trip_idx on trip_bookings (tenant_id, trip_id);
create index trip_bookings_reference_idx on trip_bookings (tenant_id, kind, booking_reference);
