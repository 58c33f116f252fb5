import { createHash, randomUUID } from 'node:crypto';
import type { NewConsignment, NewGood, NewStop } from './orders.repo.js';
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
  return createHash('sha256').update(customerId).update('\0').update(JSON.stringify(compact(rest))).digest('base64url');
}

/** Header fields kept in `orders.header`; the key, customer, status and children have their own places. */
export function headerOf(input: OrderInput): Record<string, unknown> {
  const {
    operation: _op, order_identifier: _id, customer: _customer, order_status: _status, consignments: _consignments,
    customer_reference_number: _ref, raw_input: _raw, ...header
  } = compact(input);
  return header;
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

/** `08:00` → `08:00:00`: times go out as ISO times with seconds, as the reference sends them. */
const withSeconds = (time: string | null | undefined) => (time && /^\d\d:\d\d$/.test(time) ? `${time}:00` : time);

function stopDetails(input: StopInput): Record<string, unknown> {
  const { location: _l, date: _d, reference_number: _r, ...details } = compact(input);
  const window = details.time_window;
  if (window) details.time_window = { ...window, start_time: withSeconds(window.start_time), end_time: withSeconds(window.end_time) };
  return compact(details);
}

function consignmentDetails(input: ConsignmentInput): Record<string, unknown> {
  const { pickup_stop: _p, delivery_stop: _d, goods: _g, consignment_reference_number: _r, ...details } = compact(input);
  return details;
}

/** Handling units get ids (the output requires them); ones sent with an id keep it. */
function goodDetails(good: Record<string, unknown>): Record<string, unknown> {
  const units = good.handling_units as Array<Record<string, unknown>> | undefined;
  if (!units) return good;
  return { ...good, handling_units: units.map((u) => ({ ...u, id: typeof u.id === 'string' ? u.id : randomUUID() })) };
}

export function childRows(
  tenantId: string,
  orderId: string,
  consignments: ConsignmentInput[],
  existing: ExistingChildren = { consignments: [], goods: [], stops: [] },
): { consignments: NewConsignment[]; stops: NewStop[]; goods: NewGood[] } {
  const consignmentIds = consignments.map((_, i) => existing.consignments.find((c) => c.position === i)?.id ?? randomUUID());
  // Visiting order: every pickup in consignment order, then every delivery.
  const planned: PlannedStop[] = [
    ...consignments.map((c, i) => ({ consignmentIndex: i, type: 'PICKUP' as const, input: c.pickup_stop })),
    ...consignments.map((c, i) => ({ consignmentIndex: i, type: 'DELIVERY' as const, input: c.delivery_stop })),
  ];
  const stopIds = matchStopIds(planned, existing.stops);
  const stops: NewStop[] = planned.map((p, sequence) => ({
    tenant_id: tenantId,
    id: stopIds[sequence] as string,
    order_id: orderId,
    consignment_id: consignmentIds[p.consignmentIndex] as string,
    stop_type: p.type,
    sequence,
    requested_date: p.input.date ?? null,
    location: JSON.stringify(compact(p.input.location)),
    reference_number: p.input.reference_number ?? null,
    eta_start: null,
    eta_end: null,
    actual_start: null,
    actual_end: null,
    details: JSON.stringify(stopDetails(p.input)),
  }));
  const goods: NewGood[] = consignments.flatMap((c, ci) =>
    (c.goods ?? []).map((good, position) => ({
      tenant_id: tenantId,
      id: existing.goods.find((g) => g.consignment_position === ci && g.position === position)?.id ?? randomUUID(),
      order_id: orderId,
      consignment_id: consignmentIds[ci] as string,
      position,
      details: JSON.stringify(goodDetails(compact(good) as Record<string, unknown>)),
    })),
  );
  return {
    consignments: consignments.map((c, position) => ({
      tenant_id: tenantId,
      id: consignmentIds[position] as string,
      order_id: orderId,
      position,
      reference_number: c.consignment_reference_number ?? null,
      details: JSON.stringify(consignmentDetails(c)),
    })),
    stops,
    goods,
  };
}
