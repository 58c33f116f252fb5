import { Type } from '@sinclair/typebox';
import { declareEvents, Nullable, type PayloadsOf, Snapshot } from '../../platform/events/catalog.js';
import type { Tx } from '../../platform/db/tx.js';
import { appendEvent } from '../../platform/events/append.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { VisibilityOrder } from '../orders/index.js';
import type { TripView } from './trips.output.js';

/** Trip, stop and dispatch events (trip and stop events appended by the helpers below; dispatch and booking events by dispatch/ and bookings/). */
const trip = (summary: string) => ({
  entityType: 'trip',
  summary,
  payload: Type.Object({ trip_id: Type.String(), trip_name: Nullable(Type.String()), status: Type.String(), version: Type.Number() }),
  families: [],
});
const stop = (summary: string) => ({
  entityType: 'order',
  summary: `${summary} Keyed by the stop's order, so an order's stop events and status changes arrive in order.`,
  payload: Type.Object({
    stop_id: Type.String(),
    trip_id: Type.String(),
    order_id: Type.String(),
    order_snapshot: Snapshot("The contract's VisibilityOrder as of the change."),
  }),
  families: ['operational_visibility' as const],
});
const dispatch = (summary: string) => ({
  entityType: 'trip',
  summary,
  payload: Type.Object({
    trip_id: Type.String(),
    trip_name: Nullable(Type.String()),
    executor: Type.String(),
    subcontractor_id: Nullable(Type.String()),
    message: Snapshot('The SubcontractorDispatch or FleetDispatch message, built in the transaction of the change.'),
  }),
  families: ['subcontractor_dispatch' as const, 'fleet_dispatch' as const],
});
const answer = (summary: string) => ({
  entityType: 'trip',
  summary,
  payload: Type.Object({
    trip_id: Type.String(),
    trip_name: Nullable(Type.String()),
    operation: Type.String(),
    errors: Type.Array(Type.Unknown()),
    version: Type.Number(),
  }),
  families: [],
});

const driverLink = (summary: string) => ({
  entityType: 'trip',
  summary: `${summary} Seen by the tenant and the trip's subcontractor.`,
  payload: Type.Object({ trip_id: Type.String(), link_id: Type.String(), expires_at: Type.String() }),
  families: [],
});

export const tripEvents = declareEvents('trips', {
  'trip.created': trip('A trip was created.'),
  'trip.updated': trip('A trip was changed.'),
  'trip.planned': trip('A trip became PLANNED.'),
  'trip.completed': trip('Every stop of the trip is completed.'),
  'trip.cancelled': trip('A trip was cancelled.'),
  'trip.visibility': {
    entityType: 'trip',
    summary: "A trip transition a customer sees (CREATED, PLANNED, COMPLETED): one event per customer, with only that customer's orders and stops.",
    payload: Type.Object({
      trip_id: Type.String(),
      status: Type.String(),
      trip_snapshot: Snapshot("The contract's VisibilityTrip as that customer may see it."),
    }),
    families: ['operational_visibility'],
  },
  'trip.resource_position': {
    entityType: 'trip',
    summary: 'A vehicle or driver of the trip reported a position: one event per customer of the trip.',
    payload: Type.Object({
      trip_id: Type.String(),
      resource: Type.Object({ id: Type.String(), type: Type.String(), name: Type.String(), code: Nullable(Type.String()) }),
      position: Type.Object({ latitude: Type.Number(), longitude: Type.Number() }),
      recorded_at: Type.String(),
      trip_snapshot: Snapshot("The contract's VisibilityTrip as that customer may see it."),
    }),
    families: ['operational_visibility'],
  },
  'stop.arrived': stop('A stop was reached.'),
  'stop.completed': stop('A stop was completed.'),
  'stop.eta_changed': stop("A stop's ETA changed."),
  'trip.dispatch_created': dispatch('A trip was dispatched to its executor (CREATE).'),
  'trip.dispatch_updated': dispatch('A dispatched trip changed in a way its executor sees (UPDATE, listing the changes).'),
  'trip.dispatch_cancelled': dispatch('A dispatched trip was withdrawn from its executor (CANCEL).'),
  'trip.dispatch_accepted': answer("The executor's receiver accepted a dispatch message."),
  'trip.booking_updated': {
    entityType: 'trip',
    summary:
      "A location's booking system or an intermodal operator reported on the booking of a trip's stop (status, references, execution statuses). Seen by the order's customer and the trip's subcontractor. " +
      "Pushed to booking receivers as the contract's LocationDispatchOutput or IntermodalBookingsPushPayload (CREATE for a stop's first report, CANCEL when it is CANCELLED, else UPDATE), holding only the booked stop's order.",
    payload: Type.Object({
      order_id: Type.String(),
      kind: Type.String(),
      operation: Type.String(),
      booking: Snapshot('The booking as GET /v1/trips/trip/{trip_id}/bookings shows it after the update.'),
      message: Snapshot("The receivers' message (LocationDispatchOutput or IntermodalBookingsPushPayload), built in the transaction of the update."),
    }),
    families: ['location_booking' as const, 'intermodal_booking' as const],
  },
  'status_update.unmatched': {
    entityType: 'status_update',
    summary:
      'An inbound status update matched no stop, or several; it waits for the tenant in GET /v1/trips/unmatched-status-updates. Seen by the tenant only.',
    payload: Type.Object({ reason: Type.String(), message: Type.String(), api_client_id: Type.String() }),
    families: [],
  },
  'status_update.assigned': {
    entityType: 'status_update',
    summary:
      "The tenant assigned an unmatched status update to a stop, which applied it (the stop's own events follow as for a matched update). Seen by the tenant only.",
    payload: Type.Object({ stop_id: Type.String(), outcome: Type.String(), settled_by: Nullable(Type.String()) }),
    families: [],
  },
  'status_update.dismissed': {
    entityType: 'status_update',
    summary: 'The tenant dismissed an unmatched status update, with a reason. Seen by the tenant only.',
    payload: Type.Object({ reason: Type.String(), settled_by: Nullable(Type.String()) }),
    families: [],
  },
  'trip.driver_link_created': driverLink('A trip was shared with a driver by a one-trip link and PIN.'),
  'trip.driver_link_revoked': driverLink("A driver's link was revoked."),
  'trip.driver_link_opened': driverLink("A driver opened a trip's link with its PIN (a phone before it loses its access)."),
  'trip.driver_link_locked': driverLink("A driver's link locked itself after too many wrong PINs."),
  'trip.dispatch_rejected': answer("The executor's receiver rejected a dispatch message (USER_INPUT_ERROR); `errors` says why."),
});

declare module '../../platform/events/catalog.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof tripEvents> {}
}

/**
 * Trip and stop events. Both carry what the customer's visibility receivers need as of the
 * transaction that wrote them (the order snapshot, the trip's stops), so a push built later from
 * the event shows that moment, not whatever the state is when the webhook engine gets to it.
 */

export type TripEventType = 'trip.created' | 'trip.updated' | 'trip.planned' | 'trip.completed' | 'trip.cancelled';

/** Trip transitions the contract's visibility webhook announces, with its `VisibilityTripStatus`. */
const VISIBLE: Partial<Record<TripEventType, 'CREATED' | 'PLANNED' | 'COMPLETED'>> = {
  'trip.created': 'CREATED',
  'trip.planned': 'PLANNED',
  'trip.completed': 'COMPLETED',
};

/**
 * The trip as each of its customers may see it (the contract's VisibilityTrip): only that
 * customer's orders and stops, since a trip may carry several customers' goods.
 */
function customerTrips(v: TripView, orders: VisibilityOrder[]) {
  return [...new Set(orders.map((o) => o.customer?.id ?? ''))].filter(Boolean).map((customerId) => {
    const own = orders.filter((o) => o.customer?.id === customerId);
    const stopsById = new Map(own.flatMap((o) => o.stops.map((s) => [s.id, s] as const)));
    return { customerId, snapshot: { id: v.trip.id, name: v.trip.name, orders: own, stops: v.output.stops.flatMap((s) => stopsById.get(s.id) ?? []) } };
  });
}

/**
 * Records a trip event for the tenant and the trip's subcontractor. A transition customers see
 * also gets one `trip.visibility` event per customer, whose snapshot holds only that customer's
 * orders and stops: a trip may carry several customers' goods, and none may see another's.
 * `orders` are the trip's orders as `VisibilityOrder`s, as of this transaction.
 */
export async function appendTripEvent(tx: Tx, bus: EventBus, type: TripEventType, v: TripView, orders: VisibilityOrder[] = []): Promise<void> {
  const status = VISIBLE[type];
  if (status) {
    for (const { customerId, snapshot } of customerTrips(v, orders)) {
      await appendEvent(tx, bus, {
        tenantId: v.trip.tenant_id,
        type: 'trip.visibility',
        entityType: 'trip',
        entityId: v.trip.id,
        companyIds: [customerId],
        payload: { trip_id: v.trip.id, status, trip_snapshot: snapshot },
      });
    }
  }
  await appendEvent(tx, bus, {
    tenantId: v.trip.tenant_id,
    type,
    entityType: 'trip',
    entityId: v.trip.id,
    companyIds: v.trip.subcontractor_company_id ? [v.trip.subcontractor_company_id] : [],
    payload: { trip_id: v.trip.id, trip_name: v.trip.name, status: v.trip.status, version: v.trip.version },
  });
}

/** The contract's VisibilityResource: what a customer learns about a vehicle or driver carrying its goods. */
export interface VisibilityResource {
  id: string;
  type: string;
  name: string;
  code: string | null;
}

/**
 * A resource of the trip reported a position: one `trip.resource_position` event per customer of
 * the trip, with that customer's view of the trip as of this transaction.
 */
export async function appendResourcePositionEvents(
  tx: Tx,
  bus: EventBus,
  v: TripView,
  orders: VisibilityOrder[],
  report: { resource: VisibilityResource; latitude: number; longitude: number; recordedAt: Date },
): Promise<void> {
  for (const { customerId, snapshot } of customerTrips(v, orders)) {
    await appendEvent(tx, bus, {
      tenantId: v.trip.tenant_id,
      type: 'trip.resource_position',
      entityType: 'trip',
      entityId: v.trip.id,
      companyIds: [customerId],
      payload: {
        trip_id: v.trip.id,
        resource: report.resource,
        position: { latitude: report.latitude, longitude: report.longitude },
        recorded_at: report.recordedAt.toISOString(),
        trip_snapshot: snapshot,
      },
    });
  }
}

export type StopEventType = 'stop.arrived' | 'stop.completed' | 'stop.eta_changed';

/**
 * A stop's arrival, completion or new ETA. Keyed by its order (entity `order`), so a receiver gets
 * an order's stop events and status changes in the order they happened.
 */
export async function appendStopEvent(
  tx: Tx,
  bus: EventBus,
  type: StopEventType,
  e: { tenantId: string; stopId: string; tripId: string; order: VisibilityOrder; customerId: string; subcontractorId: string | null },
): Promise<void> {
  await appendEvent(tx, bus, {
    tenantId: e.tenantId,
    type,
    entityType: 'order',
    entityId: e.order.id,
    companyIds: [e.customerId, ...(e.subcontractorId ? [e.subcontractorId] : [])],
    payload: { stop_id: e.stopId, trip_id: e.tripId, order_id: e.order.id, order_snapshot: e.order },
  });
}
