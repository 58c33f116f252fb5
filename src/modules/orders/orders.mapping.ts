import { createHash, randomUUID } from 'node:crypto';
import { isUuid } from '../../platform/http/schemas.js';
import type { NewConsignment, NewGood, NewStop, OrderAggregate, OrderRow } from './orders.repo.js';
import type { ConsignmentInput, OrderInput, StopInput } from './orders.schemas.js';
import type { StopType } from './orders.tables.js';

/**
 * Turns an `OrderInput` into rows. On UPDATE it reuses the ids of consignments, stops and goods
 * that still exist, so ids integrators stored stay valid.
 */

/** Drops nulls and undefineds at every depth: a null in a full-replacement input means "not set". */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = compact(v);
    return out as T;
  }
  return value;
}

/** Hash of what an import would store; an UPDATE with the same hash changes nothing. */
export function inputHash(input: OrderInput, customerId: string): string {
  const { operation: _operation, raw_input: _raw, ...rest } = input;
  return createHash('sha256')
    .update(customerId)
    .update('\0')
    .update(JSON.stringify(compact(rest)))
    .digest('base64url');
}

/** Header fields kept in `orders.header`; the key, customer, status and children have their own places. */
export function headerOf(input: OrderInput): Record<string, unknown> {
  const {
    operation: _op,
    order_identifier: _id,
    customer: _customer,
    order_status: _status,
    consignments: _consignments,
    customer_reference_number: _ref,
    raw_input: _raw,
    ...header
  } = input;
  // Compacted after the children are set aside: they are most of the input and not kept here.
  return compact(header);
}

export interface ExistingStop {
  id: string;
  stop_type: string;
  reference_number: string | null;
  consignment_position: number | null;
}

export interface ExistingChildren {
  consignments: Array<{ id: string; position: number }>;
  goods: Array<{ id: string; position: number; consignment_position: number }>;
  stops: ExistingStop[];
}

interface PlannedStop {
  consignmentIndex: number;
  type: StopType;
  input: StopInput;
}

/**
 * Assigns each new stop the id of an existing one: first by reference number (when exactly one
 * unclaimed stop of the same type carries it), then by consignment position and stop type.
 */
function matchStopIds(planned: PlannedStop[], existing: ExistingStop[]): string[] {
  const claimed = new Set<string>();
  const ids: Array<string | undefined> = planned.map((p) => {
    const ref = p.input.reference_number;
    if (!ref) return undefined;
    const candidates = existing.filter((e) => e.reference_number === ref && e.stop_type === p.type);
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (!only || claimed.has(only.id)) return undefined;
    claimed.add(only.id);
    return only.id;
  });
  return planned.map((p, i) => {
    const byRef = ids[i];
    if (byRef) return byRef;
    const byPosition = existing.find((e) => !claimed.has(e.id) && e.consignment_position === p.consignmentIndex && e.stop_type === p.type);
    if (byPosition) {
      claimed.add(byPosition.id);
      return byPosition.id;
    }
    return randomUUID();
  });
}

function stopDetails(input: StopInput): Record<string, unknown> {
  const { location: _l, date: _d, reference_number: _r, ...details } = compact(input);
  return details;
}

function consignmentDetails(input: ConsignmentInput): Record<string, unknown> {
  const { pickup_stop: _p, delivery_stop: _d, goods: _g, consignment_reference_number: _r, ...details } = input;
  return compact(details);
}

/** Handling units and packaged items get ids (the output requires them); ones sent with a UUID keep it. */
function goodDetails(good: Record<string, unknown>): Record<string, unknown> {
  const withIds = (list: unknown) =>
    (list as Array<Record<string, unknown>>).map((u) => ({ ...u, id: typeof u.id === 'string' && isUuid(u.id) ? u.id : randomUUID() }));
  return {
    ...good,
    ...(good.handling_units ? { handling_units: withIds(good.handling_units) } : {}),
    ...(good.packaged_items ? { packaged_items: withIds(good.packaged_items) } : {}),
  };
}

/** One consignment with the ids its rows will carry: reused ones on UPDATE, new ones otherwise. */
export interface ConsignmentPlan {
  id: string;
  input: ConsignmentInput;
  pickupStopId: string;
  deliveryStopId: string;
  goodIds: string[];
}

/** Decides the ids of an input's consignments, stops and goods, reusing existing ones where they match. */
export function planConsignments(consignments: ConsignmentInput[], existing: ExistingChildren = { consignments: [], goods: [], stops: [] }): ConsignmentPlan[] {
  // Pickups first, then deliveries: the same order `rowsOf` gives the stops' sequence.
  const planned: PlannedStop[] = [
    ...consignments.map((c, i) => ({ consignmentIndex: i, type: 'PICKUP' as const, input: c.pickup_stop })),
    ...consignments.map((c, i) => ({ consignmentIndex: i, type: 'DELIVERY' as const, input: c.delivery_stop })),
  ];
  const stopIds = matchStopIds(planned, existing.stops);
  return consignments.map((input, i) => ({
    id: existing.consignments.find((c) => c.position === i)?.id ?? randomUUID(),
    input,
    pickupStopId: stopIds[i] as string,
    deliveryStopId: stopIds[consignments.length + i] as string,
    goodIds: (input.goods ?? []).map((_, g) => existing.goods.find((e) => e.consignment_position === i && e.position === g)?.id ?? randomUUID()),
  }));
}

/** The rows of planned consignments. Visiting order: every pickup in consignment order, then every delivery. */
export function rowsOf(tenantId: string, orderId: string, plans: ConsignmentPlan[]): { consignments: NewConsignment[]; stops: NewStop[]; goods: NewGood[] } {
  const stopRow = (plan: ConsignmentPlan, type: StopType, sequence: number): NewStop => {
    const input = type === 'PICKUP' ? plan.input.pickup_stop : plan.input.delivery_stop;
    return {
      tenant_id: tenantId,
      id: type === 'PICKUP' ? plan.pickupStopId : plan.deliveryStopId,
      order_id: orderId,
      consignment_id: plan.id,
      stop_type: type,
      sequence,
      requested_date: input.date ?? null,
      location: JSON.stringify(compact(input.location)),
      reference_number: input.reference_number ?? null,
      eta_start: null,
      eta_end: null,
      actual_start: null,
      actual_end: null,
      details: JSON.stringify(stopDetails(input)),
    };
  };
  return {
    consignments: plans.map((plan, position) => ({
      tenant_id: tenantId,
      id: plan.id,
      order_id: orderId,
      position,
      reference_number: plan.input.consignment_reference_number ?? null,
      details: JSON.stringify(consignmentDetails(plan.input)),
    })),
    stops: [...plans.map((p, i) => stopRow(p, 'PICKUP', i)), ...plans.map((p, i) => stopRow(p, 'DELIVERY', plans.length + i))],
    goods: plans.flatMap((plan) =>
      (plan.input.goods ?? []).map((good, position) => ({
        tenant_id: tenantId,
        id: plan.goodIds[position] as string,
        order_id: orderId,
        consignment_id: plan.id,
        position,
        details: JSON.stringify(goodDetails(compact(good) as Record<string, unknown>)),
      })),
    ),
  };
}

/**
 * A new order as `loadOrderAggregate` answers it, from the rows its import just wrote: the import
 * builds the order's status document and event snapshot without reading the order back. Goods are
 * listed consignment by consignment (every reader takes them per consignment).
 */
export function newOrderAggregate(order: OrderRow, rows: ReturnType<typeof rowsOf>): OrderAggregate {
  const parse = (text: string | undefined) => JSON.parse(text ?? '{}') as Record<string, unknown>;
  return {
    ...order,
    consignments: rows.consignments.map((c) => ({ id: c.id, position: c.position, reference_number: c.reference_number ?? null, details: parse(c.details) })),
    stops: rows.stops.map((s) => ({
      id: s.id,
      consignment_id: s.consignment_id ?? null,
      stop_type: s.stop_type,
      sequence: s.sequence,
      status: 'TO_PLAN',
      requested_date: s.requested_date ?? null,
      location: parse(s.location),
      reference_number: s.reference_number ?? null,
      eta_start: null,
      eta_end: null,
      actual_start: null,
      actual_end: null,
      details: parse(s.details),
    })),
    goods: rows.goods.map((g) => ({ id: g.id, consignment_id: g.consignment_id, position: g.position, details: parse(g.details) })),
  };
}
