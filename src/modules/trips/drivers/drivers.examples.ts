import { EXAMPLE_TRIP } from '../trips.schemas.js';
import type { CreatedDriverLink, DriverAccess, DriverLink, DriverTrip } from './drivers.schemas.js';

// The answers of test/trips/trips.drivers.test.ts for a subcontracted trip (the token, PIN and
// access token are of the same format, not live ones).
export const driverLinkExample: DriverLink = {
  id: '5b8f1c2d-3e4a-4b5c-8d6e-7f8091a2b3c4',
  trip_id: EXAMPLE_TRIP.id,
  state: 'ACTIVE',
  shared_by_subcontractor: true,
  failed_pins: 0,
  expires_at: '2026-12-08T09:12:40.518Z',
  created_at: '2026-12-07T09:12:40.518Z',
};

export const createdDriverLinkExample: CreatedDriverLink = {
  ...driverLinkExample,
  url: 'https://tms.example.com/app/driver#b7QmZ0S8Zb6yO1m2xJk7YcV4rT9uW5nE0aLdPfGhHsQ',
  pin: '482913',
};

export const driverAccessExample: DriverAccess = {
  access_token: 'drv_Jx2mQ9s0ZbVt1m2xJk7YcV4rT9uW5nE0aLdPfGhHs7w',
  trip_id: EXAMPLE_TRIP.id,
  expires_at: driverLinkExample.expires_at,
};

export const driverTripExample = {
  id: EXAMPLE_TRIP.id,
  name: EXAMPLE_TRIP.name,
  status: 'PLANNED',
  cancelled: false,
  stops: EXAMPLE_TRIP.stops,
} as DriverTrip;
