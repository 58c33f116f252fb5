/**
 * What changed between two dispatch snapshots of a trip, for the additive `changes` list of an
 * UPDATE message: receivers act on these instead of diffing snapshots themselves. Execution state
 * (statuses, actual times) is left out: it comes from the executor, so echoing it back is noise.
 */

export type ChangeType =
  | 'ORDER_ADDED'
  | 'ORDER_REMOVED'
  | 'ORDER_CANCELLED'
  | 'ORDER_CHANGED'
  | 'STOP_ADDED'
  | 'STOP_REMOVED'
  | 'STOP_DATE_CHANGED'
  | 'STOP_CHANGED'
  | 'STOPS_RESEQUENCED'
  | 'CARGO_CHANGED'
  | 'PRICE_CHANGED'
  | 'RESOURCES_CHANGED';

export interface Change {
  type: ChangeType;
  order_id?: string;
  stop_id?: string;
  consignment_id?: string;
}

type Json = Record<string, unknown>;

export interface DispatchSnapshot {
  id: string;
  name: string;
  orders: Json[];
  stops: Json[];
  resource_allocations: Json[] | null;
  custom_fields: Json;
  /** Waybill: the agreed price, so a renegotiation shows as a change. */
  purchase_price?: string | null;
}

const EXECUTION_FIELDS = new Set(['status', 'start_timestamp', 'end_timestamp', 'updated_timestamp']);
const SCHEDULE_FIELDS = new Set(['date', 'time_window']);

/** A value with execution fields (and `skip`) dropped at every depth, as canonical JSON. */
function planned(value: unknown, skip: ReadonlySet<string> = new Set()): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Json)
          .filter(([k]) => !EXECUTION_FIELDS.has(k) && !skip.has(k))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, x]) => [k, strip(x)]),
      );
    }
    return v;
  };
  return JSON.stringify(strip(value));
}

const byId = (items: Json[]) => new Map(items.map((i) => [String(i.id), i]));

function consignmentsOf(order: Json): Json[] {
  return Array.isArray(order.consignments) ? (order.consignments as Json[]) : [];
}

export function diffSnapshots(before: DispatchSnapshot, after: DispatchSnapshot): Change[] {
  const changes: Change[] = [];
  const ordersBefore = byId(before.orders);
  const ordersAfter = byId(after.orders);
  for (const [id] of ordersBefore) if (!ordersAfter.has(id)) changes.push({ type: 'ORDER_REMOVED', order_id: id });
  for (const [id, order] of ordersAfter) {
    const old = ordersBefore.get(id);
    if (!old) {
      changes.push({ type: 'ORDER_ADDED', order_id: id });
      continue;
    }
    if (order.status === 'CANCELLED' && old.status !== 'CANCELLED') changes.push({ type: 'ORDER_CANCELLED', order_id: id });
    const oldConsignments = byId(consignmentsOf(old));
    let cargo = false;
    for (const c of consignmentsOf(order)) {
      const previous = oldConsignments.get(String(c.id));
      if (previous && planned(previous.goods) !== planned(c.goods)) {
        changes.push({ type: 'CARGO_CHANGED', order_id: id, consignment_id: String(c.id) });
        cargo = true;
      }
    }
    // Anything else about the order (header fields, references): one generic change.
    const rest = (o: Json) =>
      planned({
        ...o,
        consignments: consignmentsOf(o).map((c) => ({ ...c, goods: null, pickup_stop: null, delivery_stop: null })),
        stops: null,
        start_stop: null,
        end_stop: null,
      });
    if (!cargo && rest(old) !== rest(order)) changes.push({ type: 'ORDER_CHANGED', order_id: id });
  }
  const stopsBefore = byId(before.stops);
  const stopsAfter = byId(after.stops);
  const orderOf = (stop: Json) => String((stop.order as Json | undefined)?.row_id ?? '');
  for (const [id, stop] of stopsBefore) if (!stopsAfter.has(id)) changes.push({ type: 'STOP_REMOVED', stop_id: id, order_id: orderOf(stop) });
  for (const [id, stop] of stopsAfter) {
    const old = stopsBefore.get(id);
    if (!old) {
      changes.push({ type: 'STOP_ADDED', stop_id: id, order_id: orderOf(stop) });
      continue;
    }
    if (planned({ date: old.date, time_window: old.time_window }) !== planned({ date: stop.date, time_window: stop.time_window })) {
      changes.push({ type: 'STOP_DATE_CHANGED', stop_id: id, order_id: orderOf(stop) });
    }
    if (planned(old, SCHEDULE_FIELDS) !== planned(stop, SCHEDULE_FIELDS)) changes.push({ type: 'STOP_CHANGED', stop_id: id, order_id: orderOf(stop) });
  }
  const kept = (ids: Iterable<string>, other: Map<string, Json>) => [...ids].filter((id) => other.has(id)).join(',');
  if (kept(stopsBefore.keys(), stopsAfter) !== kept(stopsAfter.keys(), stopsBefore)) changes.push({ type: 'STOPS_RESEQUENCED' });
  if ((before.purchase_price ?? null) !== (after.purchase_price ?? null)) changes.push({ type: 'PRICE_CHANGED' });
  if (planned(before.resource_allocations) !== planned(after.resource_allocations)) changes.push({ type: 'RESOURCES_CHANGED' });
  return changes;
}
