import { Type } from '@sinclair/typebox';
import { principalOf } from '../../platform/http/auth.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { orderDocumentsExample, DocumentOutput } from '../documents/index.js';
import {
  DispatchAnswerInput,
  DispatchInput,
  ListTripOutput,
  TripCostsOutput,
  TripInput,
  TripListQuery,
  TripOutput,
  TripParams,
  TripPatch,
} from './trips.schemas.js';
import type { TripsService } from './trips.service.js';

const TAGS = ['Trips'];
const precondition = Type.Ref('ValidationErrorResponse', { description: 'If-Match names an older version of the trip' });
const IfMatch = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 40, description: 'The trip `version` (or its ETag) the change is based on.' })),
});

export function tripsRoutes(app: App, deps: { trips: TripsService }) {
  const { trips } = deps;
  const etag = (version: number) => `"${version}"`;

  app.post('/v1/trips/trip', {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'createTrip',
      tags: TAGS,
      summary: 'Plan a trip from order stops (Waybill)',
      description:
        'Puts stops of one or more orders on a new trip in the given visiting order. Each stop must still be TO_PLAN and on no other live ' +
        "trip, its order not cancelled, and a consignment's pickup must come before its delivery. The stops become PLANNED.",
      body: ref(TripInput),
      response: { 200: ref(TripOutput), ...errorResponses },
    },
    handler: async (request, reply) => {
      const trip = await trips.create(principalOf(request), request.body);
      return reply.header('etag', etag(trip.version)).send(trip);
    },
  });

  app.get('/v1/trips/trip', {
    config: { roles: ['TENANT', 'SUBCONTRACTOR'] },
    schema: {
      operationId: 'listTrips',
      tags: TAGS,
      summary: 'List trips, oldest first (Waybill)',
      description:
        "Filter by `status`, `cancelled`, `subcontractor_id`, `resource_id` and a date range over the stops' dates; page with `next_cursor`. " +
        'A subcontractor client sees only the trips dispatched to its company.',
      querystring: TripListQuery,
      response: { 200: ref(ListTripOutput), ...errorResponses },
    },
    handler: async (request) => trips.list(principalOf(request), request.query),
  });

  app.get('/v1/trips/trip/:trip_id', {
    config: { roles: ['TENANT', 'SUBCONTRACTOR'] },
    schema: {
      operationId: 'getTrip',
      tags: TAGS,
      summary: 'Get a trip',
      description: 'The trip with its orders and stops in visiting order. The `ETag` header carries its version for a later `If-Match`.',
      params: TripParams,
      response: { 200: ref(TripOutput), ...errorResponses },
    },
    handler: async (request, reply) => {
      const trip = await trips.get(principalOf(request), request.params.trip_id);
      return reply.header('etag', etag(trip.version)).send(trip);
    },
  });

  app.patch('/v1/trips/trip/:trip_id', {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'updateTrip',
      tags: TAGS,
      summary: "Change a trip's stops, their sequence, dates or time windows (Waybill)",
      description:
        '`stops` replaces the stop list: stops left out go back to TO_PLAN, new ones join. With `If-Match`, the change applies only to ' +
        "that version of the trip (412 otherwise), so two planners cannot overwrite each other. A dispatched trip's executor gets an UPDATE.",
      params: TripParams,
      headers: IfMatch,
      body: ref(TripPatch),
      response: { 200: ref(TripOutput), ...errorResponses, 412: precondition },
    },
    handler: async (request, reply) => {
      const trip = await trips.patch(principalOf(request), request.params.trip_id, request.body, request.headers['if-match']);
      return reply.header('etag', etag(trip.version)).send(trip);
    },
  });

  app.post('/v1/trips/trip/:trip_id/dispatch', {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'dispatchTrip',
      tags: TAGS,
      summary: 'Dispatch a trip to a subcontractor or to own resources (Waybill)',
      description:
        "Assigns a subcontractor company with the agreed purchase price, or own resources. The executor's endpoints receive a dispatch " +
        'message (CREATE; a trip taken from another executor sends that one a CANCEL). Archived or BLOCKED subcontractors are refused.',
      params: TripParams,
      body: ref(DispatchInput),
      response: { 200: ref(TripOutput), ...errorResponses },
    },
    handler: async (request) => trips.dispatch(principalOf(request), request.params.trip_id, request.body),
  });

  app.post('/v1/trips/trip/:trip_id/dispatch/answer', {
    config: { roles: ['SUBCONTRACTOR'] },
    schema: {
      operationId: 'answerTripDispatch',
      tags: TAGS,
      summary: 'Accept or reject a trip dispatched to you (Waybill)',
      description:
        "The subcontractor's answer from its own people or apps, as its dispatch receiver would give it: the trip's `dispatch.status` becomes " +
        'ACCEPTED or REJECTED (with the reason as a USER_INPUT_ERROR) and the carrier gets a `trip.dispatch_accepted` or ' +
        '`trip.dispatch_rejected` event. Answering the same again changes nothing; another answer replaces it. 409 when the trip is no ' +
        'longer dispatched to you or is completed.',
      params: TripParams,
      body: ref(DispatchAnswerInput),
      response: { 200: ref(TripOutput), ...errorResponses },
    },
    handler: async (request) => trips.answerDispatch(principalOf(request), request.params.trip_id, request.body),
  });

  app.post('/v1/trips/trip/:trip_id/cancel', {
    config: { roles: ['TENANT'] },
    schema: {
      operationId: 'cancelTrip',
      tags: TAGS,
      summary: 'Cancel a trip (Waybill)',
      description: 'Frees its stops (back to TO_PLAN) and sends its executor a CANCEL. A trip a vehicle has started cannot be cancelled.',
      params: TripParams,
      response: { 200: ref(TripOutput), ...errorResponses },
    },
    handler: async (request) => trips.cancel(principalOf(request), request.params.trip_id),
  });

  app.get('/v1/trips/trip/:trip_id/costs', {
    config: { roles: ['TENANT', 'SUBCONTRACTOR'] },
    schema: {
      operationId: 'getTripCosts',
      tags: TAGS,
      summary: "Get a trip's costs",
      description: 'The agreed purchase price of the subcontracted trip, as charges.',
      params: TripParams,
      response: { 200: ref(TripCostsOutput), ...errorResponses },
    },
    handler: async (request) => trips.costs(principalOf(request), request.params.trip_id),
  });

  app.get('/v1/trips/trip/:trip_id/documents', {
    config: { roles: ['TENANT', 'SUBCONTRACTOR'] },
    schema: {
      operationId: 'listTripDocuments',
      tags: TAGS,
      summary: "List a trip's documents",
      description: "The documents of the trip's orders, their consignments and stops (PODs included).",
      params: TripParams,
      response: { 200: Type.Array(ref(DocumentOutput), { description: "The trip's documents", examples: [orderDocumentsExample] }), ...errorResponses },
    },
    handler: async (request) => trips.documents(principalOf(request), request.params.trip_id),
  });
}
