import type { Tx } from '../../platform/db/tx.js';
import { appendEvent } from '../../platform/events/append.js';
import type { EventBus } from '../../platform/events/bus.js';
import type { VisibilityOrder } from '../orders/index.js';
import type { TripView } from './trips.output.js';

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
