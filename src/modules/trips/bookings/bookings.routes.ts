import { principalOf } from '../../../platform/http/auth.js';
import { readErrors, writeErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { TripParams } from '../trips.schemas.js';
import type { TripsService } from '../trips.service.js';
import { BookingList, BookingUpdateResponse, IntermodalBookingStatusPayload, LocationBookingUpdatePayload } from './bookings.schemas.js';

const WEBHOOK = { security: [{ webhookBasic: [] }] };

const RULES =
  "A booking's `id` is the id of the stop it books (deprecated `booking_id` is the same); without one, `match` finds it by the " +
  "operator's `booking_reference` (as an earlier update reported it) or `name` (the trip's name), every criterion holding for exactly " +
  'one booking. The stop must be on a live trip of the tenant. The first update for a stop creates its booking (REQUESTED). ' +
  "Execution statuses are merged (each once, chronological); status and references take the newest `event_time`'s word, so an older " +
  'update is STALE and a repeat a DUPLICATE. Times need an offset. Each update is answered in `results`; those not applied are also ' +
  "listed in `errors` (the contract answers them there). The order's customer and the trip's subcontractor see a `trip.booking_updated` event.";

/** The contract's booking webhooks (HTTP Basic, the tenant's webhook credentials) and a trip's bookings. */
export function bookingRoutes(app: App, deps: { trips: TripsService }) {
  const { trips } = deps;

  app.post('/v1/webhook/location-booking-update', {
    config: { auth: 'basic', roles: ['TENANT'] },
    schema: {
      ...WEBHOOK,
      operationId: 'locationBookingUpdate',
      tags: ['Trip execution'],
      summary: "Report on a location booking (a slot at a stop's location)",
      description: `${RULES} Document answers in \`question_answers\` become the order's documents (on the stop); other answers are kept on the booking.`,
      body: ref(LocationBookingUpdatePayload),
      response: { 200: ref(BookingUpdateResponse), ...writeErrors() },
    },
    handler: async (request) => trips.receiveLocationBookings(principalOf(request), request.body.updates),
  });

  app.post('/v1/webhook/intermodal-status', {
    config: { auth: 'basic', roles: ['TENANT'] },
    schema: {
      ...WEBHOOK,
      operationId: 'intermodalBookingStatus',
      tags: ['Trip execution'],
      summary: 'Report on an intermodal booking (the rail or sea leg from a stop)',
      description: `${RULES} A \`status\` must carry at least one of booking_status, execution_statuses and failure; a failure is kept until a later update without one. \`skip_dispatch: true\` marks the booking final for good.`,
      body: ref(IntermodalBookingStatusPayload),
      response: { 200: ref(BookingUpdateResponse), ...writeErrors() },
    },
    handler: async (request) => trips.receiveIntermodalBookings(principalOf(request), request.body.updates),
  });

  app.get('/v1/trips/trip/:trip_id/bookings', {
    config: { roles: ['TENANT', 'SUBCONTRACTOR'] },
    schema: {
      operationId: 'listTripBookings',
      tags: ['Trips'],
      summary: "List a trip's bookings (Waybill)",
      description: "What booking systems and intermodal operators reported for the trip's stops, as stored: one booking per stop and kind.",
      params: TripParams,
      response: { 200: ref(BookingList), ...readErrors(404) },
    },
    handler: async (request) => trips.listBookings(principalOf(request), request.params.trip_id),
  });
}
