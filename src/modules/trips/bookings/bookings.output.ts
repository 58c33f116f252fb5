import type { OrderStopOutput } from '../../orders/index.js';
import type { TripView } from '../trips.output.js';
import type { TripStopOutput } from '../trips.schemas.js';
import type { BookingRow } from './bookings.repo.js';
import type { BookingOutput } from './bookings.schemas.js';

/**
 * A booking's wire shapes: the one GET /v1/trips/trip/{trip_id}/bookings shows, and the messages
 * the contract pushes to booking receivers (`IntermodalBookingsPushPayload` for an intermodal
 * operator, `LocationDispatchOutput` for a location's booking system), both built from the same
 * stored row, so a message never says more or other than the GET did at its moment.
 */

export type BookingOperation = 'CREATE' | 'UPDATE' | 'CANCEL';

export function bookingOutput(row: BookingRow, tripName: string): BookingOutput {
  return {
    booking_id: row.stop_id,
    kind: row.kind,
    booking_name: tripName,
    trip_id: row.trip_id,
    stop_id: row.stop_id,
    status: row.status,
    booking_reference: row.booking_reference,
    references: row.port_references,
    execution_data: { execution_statuses: row.execution_statuses, skip_dispatch: row.skip_dispatch },
    failure: row.failure,
    question_answers: row.question_answers,
    event_time: row.event_time.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** A first report creates the booking for its receivers, CANCELLED withdraws it, anything else updates it. */
export function bookingOperation(isNew: boolean, booking: Pick<BookingOutput, 'status'>): BookingOperation {
  if (booking.status === 'CANCELLED') return 'CANCEL';
  return isNew ? 'CREATE' : 'UPDATE';
}

/** The contract's `ShippingLocation` / `LocationOutput` fields of a stop's location. */
const LOCATION_KEYS = [
  'id',
  'code',
  'display_name',
  'external_id',
  'name',
  'address',
  'address_second_line',
  'city',
  'state',
  'country',
  'postal_code',
  'latitude',
  'longitude',
] as const;

function location(stop: OrderStopOutput): Record<string, unknown> {
  const source: Record<string, unknown> = stop.location;
  return Object.fromEntries(LOCATION_KEYS.map((key) => [key, source[key] ?? null]));
}

const shippingStop = (stop: OrderStopOutput) => ({
  location: location(stop),
  reference_number: stop.reference_number ?? null,
  timestamp: stop.start_timestamp ?? stop.end_timestamp ?? null,
});

/** A trip's stop as its order shows it (without the trip's link back to the order). */
const orderStop = ({ order: _order, ...stop }: TripStopOutput): OrderStopOutput => stop as OrderStopOutput;

/**
 * What one booking message may show: the booked stop, the next stop of the trip (where an
 * intermodal leg from the stop arrives), and only the booked stop's order, since a trip may carry
 * several customers' goods and the message goes to that order's customer and the trip's
 * subcontractor (whose endpoints cut the customer and pricing out, as for dispatch).
 */
function scope(view: TripView, booking: BookingOutput) {
  const index = view.output.stops.findIndex((s) => s.id === booking.stop_id);
  const stop = view.output.stops[index];
  if (!stop) return undefined;
  const next = view.output.stops[index + 1];
  const order = view.orders.find((o) => o.id === stop.order.row_id);
  return { stop: orderStop(stop), next: next && orderStop(next), order };
}

/** The trip's resources as the dispatch messages show them (the contract's `DispatchResourceAllocation`). */
const resourceAllocations = (view: TripView) =>
  view.trip.resources.map((r) => ({ resource: { id: r.id, name: r.name ?? null, resource_type: r.resource_type, is_external_resource: false } }));

/**
 * The contract's `IntermodalBookingsPushPayload` for one booking. Waybill holds no shipping line,
 * route code or equipment of its own for the leg, so those are null and the route runs from the
 * booked stop to the trip's next stop; a trip with drivers among its resources is accompanied.
 * `status` and `failure` are Waybill's additions, as the GET shows them.
 */
export function intermodalBookingMessage(view: TripView, booking: BookingOutput, operation: BookingOperation) {
  const at = scope(view, booking);
  if (!at) return null;
  const drivers = view.trip.resources.filter((r) => r.resource_type === 'DRIVER').length;
  return {
    operations: [
      {
        operation,
        account_code: null,
        payload: {
          trip_name: view.trip.name,
          orders: at.order ? [at.order] : [],
          booking: {
            booking_id: booking.booking_id,
            booking_name: booking.booking_name,
            booking_reference: booking.booking_reference,
            shipping_company: { name: null, code: null },
            shipping_route: { start_stop: shippingStop(at.stop), end_stop: shippingStop(at.next ?? at.stop), code: null, modality: null, custom_fields: {} },
            transport_type: { driver_type: drivers ? 'ACCOMPANIED' : 'UNACCOMPANIED', number_of_drivers: drivers || null },
            trailer: null,
            container: null,
            vehicle: null,
            dimensions: {},
            references: booking.references,
            execution_data: booking.execution_data,
            status: booking.status,
            failure: booking.failure,
          },
        },
      },
    ],
  };
}

/**
 * The contract's `LocationDispatchOutput` for one booking: the trip, the booked stop's order, and
 * the booking at the stop's location. A pickup is goods leaving the location (OUTBOUND), a
 * delivery goods arriving (INBOUND). `status` and `execution_data` are Waybill's additions.
 */
export function locationBookingMessage(view: TripView, booking: BookingOutput, operation: BookingOperation) {
  const at = scope(view, booking);
  if (!at) return null;
  const firstStart = view.output.stops.map((s) => s.start_timestamp).find(Boolean) ?? null;
  return {
    operation,
    payload: {
      id: view.trip.id,
      name: view.trip.name,
      orders: at.order ? [at.order] : [],
      scenario: at.stop.stop_type === 'PICKUP' ? 'OUTBOUND' : at.stop.stop_type === 'DELIVERY' ? 'INBOUND' : 'INBOUND_OUTBOUND',
      booking: {
        booking_id: booking.booking_id,
        booking_name: booking.booking_name,
        location: location(at.stop),
        stops: [at.stop],
        resource_allocations: resourceAllocations(view),
        status: booking.status,
        execution_data: booking.execution_data,
      },
      trip_summary: { custom_fields: {}, estimated_start_timestamp: firstStart },
    },
  };
}
