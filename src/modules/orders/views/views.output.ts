import { companyOutput, type CompanyParty } from '../../companies/index.js';
import { visibilityStopStatus, type OrderStatus } from '../status/status.policy.js';
import type { TObject } from '@sinclair/typebox';
import { GoodOutput, PackagedItemOutput } from './views.schemas.js';
import type { OrderExport, OrderConsignmentOutput, OrderOutput, OrderStopOutput, OrderWithStatus } from './views.schemas.js';
import type { ConsignmentPlan } from '../orders.mapping.js';
import type { OrderAggregate, StopRecord } from '../orders.repo.js';
import type { GoodInput, StopInput } from '../orders.schemas.js';

/** Builds the order's wire shapes from one loaded aggregate (see `loadOrderAggregate`). */

type Json = Record<string, unknown>;

/** JSON-aggregated timestamps arrive as PostgreSQL text; the wire wants RFC 3339 in UTC. */
const iso = (text: string | Date | null): string | null => (text === null ? null : new Date(text).toISOString());

function stopOutput(stop: StopRecord): OrderStopOutput {
  const details = stop.details;
  const timeWindow = details.time_window;
  return {
    ...details,
    id: stop.id,
    consignment_id: stop.consignment_id,
    stop_type: stop.stop_type,
    sequence: stop.sequence,
    status: stop.status,
    date: stop.requested_date,
    reference_number: stop.reference_number,
    location: stop.location,
    time_window: timeWindow ? { custom_fields: {}, ...timeWindow } : null,
    // Until the stop is reached these are the planned times; afterwards the actual ones.
    start_timestamp: iso(stop.actual_start ?? stop.eta_start),
    end_timestamp: iso(stop.actual_end ?? stop.eta_end),
    custom_fields: details.custom_fields ?? {},
  };
}

/**
 * The fields of `value` that `schema` declares: stored input beyond them is never shown or sent.
 * Typed as `T` because the schemas it is given declare every field `T` names.
 */
const declared = <T extends object>(schema: TObject, value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([key, field]) => Object.hasOwn(schema.properties, key) && field !== undefined)) as T;

/**
 * A good as GET shows it and the visibility push sends it: one mapping, so both carry the same
 * fields, and packaged items with the ids the import gave them.
 */
function goodOutput(good: OrderAggregate['goods'][number]): GoodOutput {
  const details = good.details;
  return {
    ...declared(GoodOutput, details),
    id: good.id,
    custom_fields: details.custom_fields ?? {},
    packaged_items: (details.packaged_items ?? []).map((item) => ({ ...declared(PackagedItemOutput, item), custom_fields: item.custom_fields ?? {} })),
  };
}

/** A consignment's pickup or delivery stop: every consignment has exactly one of each (the import requires both). */
function consignmentStop<S extends { consignment_id: string | null; stop_type: string }>(
  stops: readonly S[],
  consignmentId: string,
  type: 'PICKUP' | 'DELIVERY',
): S {
  const stop = stops.find((s) => s.consignment_id === consignmentId && s.stop_type === type);
  if (!stop) throw new Error(`consignment ${consignmentId} has no ${type} stop`);
  return stop;
}

function consignmentsOf(order: OrderAggregate, stops: OrderStopOutput[]): OrderConsignmentOutput[] {
  return order.consignments.map((c) => {
    const details = c.details;
    return {
      ...details,
      id: c.id,
      consignment_reference_number: c.reference_number,
      pickup_stop: consignmentStop(stops, c.id, 'PICKUP'),
      delivery_stop: consignmentStop(stops, c.id, 'DELIVERY'),
      goods: order.goods.filter((g) => g.consignment_id === c.id).map(goodOutput),
      signatures: [],
      custom_fields: details.custom_fields ?? {},
    };
  });
}

export function orderOutput(order: OrderAggregate, customer: CompanyParty): OrderOutput {
  const header = order.header;
  const stops = order.stops.map(stopOutput);
  const pricing = header.pricing;
  const { setup_stops: _s, teardown_stops: _t, container_load_unload_stop: _c, pricing: _p, ...headerFields } = header;
  return {
    ...headerFields,
    id: order.id,
    name: order.name,
    order_identifier: order.order_identifier,
    status: order.status,
    customer_reference_number: order.customer_reference_number,
    customer: companyOutput(customer),
    consignments: consignmentsOf(order, stops),
    stops,
    start_stop: stops[0] ?? null,
    end_stop: stops.at(-1) ?? null,
    pricing: pricing
      ? { requested_price: pricing.requested_price ?? null, currency: customer.currency, total_excl_tax: null, total_incl_tax: null, total_tax: null }
      : null,
    created_by_user: null,
    created_timestamp: order.created_at.toISOString(),
    updated_timestamp: order.updated_at.toISOString(),
    quote_name: order.is_quote ? order.name : null,
  };
}

export function orderWithStatus(order: OrderAggregate, customer: CompanyParty): OrderWithStatus {
  const output = orderOutput(order, customer);
  const active = output.stops.filter((s) => s.status !== 'CANCELLED' && s.status !== 'IGNORED');
  return {
    ...output,
    first_pickup_stop: active.find((s) => s.stop_type === 'PICKUP') ?? null,
    last_delivery_stop: [...active].reverse().find((s) => s.stop_type === 'DELIVERY') ?? null,
  };
}

/** A stored stop as the `StopInput` it came from. */
function stopInput(stop: StopRecord): StopInput {
  return {
    ...stop.details,
    location: stop.location,
    ...(stop.requested_date ? { date: stop.requested_date } : {}),
    ...(stop.reference_number ? { reference_number: stop.reference_number } : {}),
  };
}

/**
 * The order's consignments as inputs again, each with the ids of its rows: what a partial update
 * edits and an export returns. Handling units keep their ids here (they are matched by them).
 */
export function plansOf(order: OrderAggregate): ConsignmentPlan[] {
  return order.consignments.map((c) => {
    const pickup = consignmentStop(order.stops, c.id, 'PICKUP');
    const delivery = consignmentStop(order.stops, c.id, 'DELIVERY');
    const goods = order.goods.filter((g) => g.consignment_id === c.id);
    return {
      id: c.id,
      pickupStopId: pickup.id,
      deliveryStopId: delivery.id,
      goodIds: goods.map((g) => g.id),
      input: {
        ...c.details,
        ...(c.reference_number ? { consignment_reference_number: c.reference_number } : {}),
        pickup_stop: stopInput(pickup),
        delivery_stop: stopInput(delivery),
        goods: goods.map((g) => g.details),
      },
    };
  });
}

/** A good as input again: its handling units and packaged items lose the ids Waybill gave them. */
function withoutIds(good: GoodInput): GoodInput {
  const strip = <T extends { id?: unknown }>(list: T[] | null | undefined) => list?.map(({ id: _id, ...rest }) => rest);
  const units = strip(good.handling_units);
  const items = strip(good.packaged_items);
  return { ...good, ...(units ? { handling_units: units } : {}), ...(items ? { packaged_items: items } : {}) };
}

/** The order as an `OrderInput` again: stored input fields only, no ids or execution state. */
export function orderExport(order: OrderAggregate): OrderExport {
  const consignments = plansOf(order).map(({ input }) => ({
    ...input,
    goods: (input.goods ?? []).map(withoutIds),
  }));
  return {
    ...order.header,
    operation: 'CREATE',
    order_identifier: order.order_identifier,
    customer: order.customer_entity,
    order_status: order.is_quote ? 'QUOTE' : 'TO_PLAN',
    ...(order.customer_reference_number ? { customer_reference_number: order.customer_reference_number } : {}),
    consignments,
  };
}

export interface VisibilityOrder {
  id: string;
  order_name: string;
  status: OrderStatus;
  customer_reference_number: string | null;
  customer: { id: string; name: string; custom_fields: Json | null } | null;
  custom_fields: Json | null;
  stops: Array<{
    id: string;
    location: Json & { name: string };
    status: ReturnType<typeof visibilityStopStatus>;
    stop_type: 'PICKUP' | 'DELIVERY' | 'CUSTOM';
    eta_start_time: string | null;
    eta_end_time: string | null;
    actual_start_timestamp: string | null;
    actual_end_timestamp: string | null;
    stop_reference: string | null;
    custom_fields: Json | null;
  }>;
  consignment: { id: string; goods: GoodOutput[] } | null;
}

/** The contract's `VisibilityOrder` snapshot the webhook engine sends to visibility receivers. */
export function visibilityOrder(order: OrderAggregate, customer: CompanyParty): VisibilityOrder {
  const header = order.header;
  const first = order.consignments[0];
  return {
    id: order.id,
    order_name: order.name,
    status: order.status,
    customer_reference_number: order.customer_reference_number,
    customer: { id: customer.id, name: customer.name, custom_fields: customer.details.custom_fields ?? null },
    custom_fields: header.custom_fields ?? null,
    stops: order.stops.map((s) => {
      const loc = s.location;
      return {
        id: s.id,
        location: {
          name: String(loc.name ?? loc.display_name ?? loc.city ?? loc.address ?? ''),
          address: loc.address ?? null,
          address_second_line: loc.address_second_line ?? null,
          city: loc.city ?? null,
          state: loc.state ?? null,
          country_code: loc.country ?? null,
          postal_code: loc.postal_code ?? null,
          position: typeof loc.latitude === 'number' && typeof loc.longitude === 'number' ? { latitude: loc.latitude, longitude: loc.longitude } : null,
        },
        status: visibilityStopStatus(s.status),
        stop_type: s.stop_type,
        eta_start_time: iso(s.eta_start),
        eta_end_time: iso(s.eta_end),
        actual_start_timestamp: iso(s.actual_start),
        actual_end_timestamp: iso(s.actual_end),
        stop_reference: s.reference_number,
        custom_fields: s.details.custom_fields ?? null,
      };
    }),
    // The snapshot has room for one consignment; the first one stands for single-consignment orders.
    consignment: first ? { id: first.id, goods: order.goods.filter((g) => g.consignment_id === first.id).map(goodOutput) } : null,
  };
}
