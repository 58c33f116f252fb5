import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { deriveOrderStatus, type OrderStatus, type StopStatus } from '../status/status.policy.js';
import type { CompanyParty } from '../../companies/index.js';
import { appendOrderEvent } from '../orders.events.js';
import { loadOrderAggregates, type OrderRow } from '../orders.repo.js';
import { statusRowOf, type KnownOrder } from '../status/status.service.js';
import { visibilityOrder, type VisibilityOrder } from '../views/views.output.js';
import * as repo from './execution.repo.js';
import type { StopType } from '../orders.tables.js';

/**
 * What the trips module may do to orders, always inside the caller's transaction: lock the orders
 * whose stops it plans, move stop statuses (the order status follows through `deriveOrderStatus`,
 * with an event when it changes), reschedule stops and record their execution. The SQL stays here,
 * over the orders module's own tables.
 */

/** One stop as planning sees it, with the state of its order. */
export interface PlanningStop {
  id: string;
  order_id: string;
  consignment_id: string | null;
  stop_type: StopType;
  status: StopStatus;
  order_cancelled: boolean;
  customer_company_id: string;
}

/**
 * The stops with these ids, their orders' rows locked (in id order, so two planners never lock
 * the same orders in opposite orders): the same lock order imports and partial updates take.
 */
export async function lockStops(tx: Tx, tenantId: string, stopIds: readonly string[]): Promise<PlanningStop[]> {
  if (!stopIds.length) return [];
  const orderIds = await tx.trx
    .selectFrom('order_stops')
    .select('order_id')
    .distinct()
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...stopIds])
    .execute();
  if (!orderIds.length) return [];
  await tx.trx
    .selectFrom('orders')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where(
      'id',
      'in',
      orderIds.map((o) => o.order_id),
    )
    .orderBy('id')
    .forUpdate()
    .execute();
  const rows = await tx.trx
    .selectFrom('order_stops as s')
    .innerJoin('orders as o', (j) => j.onRef('o.tenant_id', '=', 's.tenant_id').onRef('o.id', '=', 's.order_id'))
    .select(['s.id', 's.order_id', 's.consignment_id', 's.stop_type', 's.status', 'o.cancelled_at', 'o.customer_company_id'])
    .where('s.tenant_id', '=', tenantId)
    .where('s.id', 'in', [...stopIds])
    .execute();
  return rows.map(({ cancelled_at, ...r }) => ({ ...r, order_cancelled: cancelled_at !== null }));
}

/**
 * Stores the order's status document as the open transaction leaves it and answers the order's
 * `VisibilityOrder`, which its status event carries.
 */
export type OrderSnapshot<S extends object = object> = (exec: Executor, tenantId: string, orderId: string) => Promise<S>;

/**
 * Re-derives each order's status from its stops; records an event for every order whose status
 * changed, carrying the order's snapshot as of this transaction. `first` runs once the statuses
 * are written and before those events, for events that must come before them (a stop's arrival
 * precedes the order it puts in transit); it gets those same snapshots, so that nothing builds an
 * order's snapshot twice in one change.
 */
async function rederive<S extends object>(
  tx: Tx,
  bus: EventBus,
  snapshot: OrderSnapshot<S>,
  tenantId: string,
  orderIds: readonly string[],
  first?: (snapshots: ReadonlyMap<string, S>) => Promise<void>,
): Promise<OrderRow[]> {
  const changed: Array<{ updated: OrderRow; previous: OrderStatus }> = [];
  const touched = [...new Set(orderIds)].sort();
  for (const orderId of touched) {
    const order = await tx.trx
      .selectFrom('orders')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', orderId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const stops = await tx.trx.selectFrom('order_stops').select('status').where('tenant_id', '=', tenantId).where('order_id', '=', orderId).execute();
    const status: OrderStatus = deriveOrderStatus({ quote: order.is_quote, cancelled: order.cancelled_at !== null, stopStatuses: stops.map((s) => s.status) });
    if (status === order.status) continue;
    const updated = await tx.trx
      .updateTable('orders')
      .set({ status, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', orderId)
      .returningAll()
      .executeTakeFirstOrThrow();
    changed.push({ updated, previous: order.status });
  }
  // Every touched order's status document follows its stops, whether its status changed or not.
  const snapshots = new Map<string, S>();
  for (const orderId of touched) snapshots.set(orderId, await snapshot(tx.trx, tenantId, orderId));
  await first?.(snapshots);
  for (const { updated, previous } of changed) {
    const extra = { previous_status: previous, order_snapshot: snapshots.get(updated.id) };
    await appendOrderEvent(tx, bus, updated.status === 'COMPLETED' ? 'order.completed' : 'order.status_changed', updated, extra);
  }
  return changed.map((c) => c.updated);
}

/**
 * Sets planning statuses (PLANNED, DISPATCHED, back to TO_PLAN) on stops that are not yet under
 * way or finished: a stop the driver already reached keeps its execution status.
 */
export async function setPlanningStatus(
  tx: Tx,
  bus: EventBus,
  snapshot: OrderSnapshot,
  tenantId: string,
  stopIds: readonly string[],
  status: StopStatus,
): Promise<void> {
  if (!stopIds.length) return;
  const moved = await tx.trx
    .updateTable('order_stops')
    .set({ status, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...stopIds])
    .where('status', 'in', ['TO_PLAN', 'PLANNED', 'DISPATCHED'])
    .returning('order_id')
    .execute();
  await rederive(
    tx,
    bus,
    snapshot,
    tenantId,
    moved.map((m) => m.order_id),
  );
}

export interface StopSchedule {
  stopId: string;
  date?: string | null;
  timeWindow?: Record<string, unknown> | null;
}

/**
 * Moves stops' requested dates and time windows (planning changes agreed with the customer);
 * answers the orders whose stops it moved.
 */
export async function rescheduleStops(exec: Executor, tenantId: string, changes: readonly StopSchedule[]): Promise<string[]> {
  const orderIds = new Set<string>();
  for (const change of changes) {
    if (change.date === undefined && change.timeWindow === undefined) continue;
    const moved = await exec
      .updateTable('order_stops')
      .set({
        ...(change.date !== undefined ? { requested_date: change.date } : {}),
        ...(change.timeWindow !== undefined
          ? {
              details: sql`case when ${JSON.stringify(change.timeWindow)}::jsonb = 'null'::jsonb then details - 'time_window' else jsonb_set(details, '{time_window}', ${JSON.stringify(change.timeWindow)}::jsonb) end`,
            }
          : {}),
        updated_at: sql<Date>`date_trunc('milliseconds', now())`,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', change.stopId)
      .returning('order_id')
      .executeTakeFirst();
    if (moved) orderIds.add(moved.order_id);
  }
  return [...orderIds];
}

/** Where a stop's execution stands: its status and the times reported for it. */
export interface StopExecution {
  id: string;
  order_id: string;
  status: StopStatus;
  eta_start: Date | null;
  eta_end: Date | null;
  actual_start: Date | null;
  actual_end: Date | null;
}

/** Where each order of a batch of reports stands, in memory, and what the batch changed in it. */
interface HeldOrder extends KnownOrder {
  /** Stops whose execution state changed since the last write. */
  movedStops: Set<string>;
  /** Whether the order's status changed since the last write. */
  statusChanged: boolean;
  /** Whether anything changed since the last write: its status document is stored again. */
  changed: boolean;
}

/**
 * Stop reports of one transaction, recorded in memory over their orders locked and read once, and
 * written together (`flush`): a batch of reports costs two statements for its orders, not several
 * per report. Each report still derives its order's status and builds the order's snapshot as
 * it leaves it, so every event shows the state as of its own change.
 */
export interface StopExecutions {
  /** Where a locked stop stands, after the reports recorded so far; undefined for a stop of no locked order. */
  current(stopId: string): StopExecution | undefined;
  /**
   * Records a stop's new execution state (decided by the caller) and re-derives its order's
   * status, with the order's event when it changes (see `rederive`); `first` records the
   * caller's events before it, given the order's snapshot as this change leaves it.
   */
  record(next: StopExecution, first?: (order: VisibilityOrder) => Promise<void>): Promise<void>;
  /** Writes what was recorded since the last write: the stops, the orders' statuses, their status documents. */
  flush(): Promise<void>;
  /**
   * What `flush` would write, as CTEs for the caller's own statement (see `stopExecutionCtes`), or
   * undefined when nothing was recorded since the last write. Taking them counts as writing them.
   */
  takeWrites(): RawBuilder<unknown> | undefined;
}

const text = (time: Date | null) => (time === null ? null : time.toISOString());
const time = (value: string | Date | null) => (value === null ? null : new Date(value));

/**
 * Locks the orders of these stops (in id order, see `lockStops`) and reads them whole, once, for
 * the reports `StopExecutions` records. Stops of no order are absent.
 */
export async function openStopExecutions(
  tx: Tx,
  bus: EventBus,
  customerOf: (exec: Executor, tenantId: string, companyId: string) => Promise<CompanyParty | undefined>,
  tenantId: string,
  stopIds: readonly string[],
): Promise<StopExecutions> {
  const { orderIds, now } = stopIds.length ? await repo.lockOrdersOfStops(tx.trx, tenantId, stopIds) : { orderIds: [], now: new Date() };
  const held = new Map<string, HeldOrder>();
  const orderOfStop = new Map<string, HeldOrder>();
  for (const order of await loadOrderAggregates(tx.trx, tenantId, orderIds)) {
    const customer = await customerOf(tx.trx, tenantId, order.customer_company_id);
    if (!customer) throw new Error(`order ${order.id} has no customer company`);
    const h: HeldOrder = { order, customer, movedStops: new Set(), statusChanged: false, changed: false };
    held.set(order.id, h);
    for (const stop of order.stops) orderOfStop.set(stop.id, h);
  }
  const stopOf = (h: HeldOrder, stopId: string) => h.order.stops.find((s) => s.id === stopId);

  return {
    current(stopId) {
      const h = orderOfStop.get(stopId);
      const stop = h && stopOf(h, stopId);
      if (!h || !stop) return undefined;
      return {
        id: stop.id,
        order_id: h.order.id,
        status: stop.status,
        eta_start: time(stop.eta_start),
        eta_end: time(stop.eta_end),
        actual_start: time(stop.actual_start),
        actual_end: time(stop.actual_end),
      };
    },

    async record(next, first) {
      const h = held.get(next.order_id);
      const stop = h && stopOf(h, next.id);
      if (!h || !stop) throw new Error(`stop ${next.id} was not locked for execution`);
      Object.assign(stop, {
        status: next.status,
        eta_start: text(next.eta_start),
        eta_end: text(next.eta_end),
        actual_start: text(next.actual_start),
        actual_end: text(next.actual_end),
      });
      h.movedStops.add(stop.id);
      h.changed = true;
      const { order } = h;
      const previous = order.status;
      const status = deriveOrderStatus({ quote: order.is_quote, cancelled: order.cancelled_at !== null, stopStatuses: order.stops.map((s) => s.status) });
      if (status !== previous) {
        Object.assign(order, { status, updated_at: now });
        h.statusChanged = true;
      }
      // Built once for this change: the caller's events and the order's carry the same snapshot.
      const snapshot = visibilityOrder(order, h.customer);
      await first?.(snapshot);
      if (status === previous) return;
      await appendOrderEvent(tx, bus, status === 'COMPLETED' ? 'order.completed' : 'order.status_changed', order, {
        previous_status: previous,
        order_snapshot: snapshot,
      });
    },

    takeWrites,

    async flush() {
      const ctes = takeWrites();
      if (ctes) await sql`with ${ctes} select n from written`.execute(tx.trx);
    },
  };

  function takeWrites(): RawBuilder<unknown> | undefined {
    const changed = [...held.values()].filter((h) => h.changed);
    if (!changed.length) return undefined;
    const ctes = repo.stopExecutionCtes(tenantId, {
      stops: changed.flatMap((h) =>
        h.order.stops
          .filter((s) => h.movedStops.has(s.id))
          .map((s) => ({
            id: s.id,
            status: s.status,
            eta_start: text(time(s.eta_start)),
            eta_end: text(time(s.eta_end)),
            actual_start: text(time(s.actual_start)),
            actual_end: text(time(s.actual_end)),
          })),
      ),
      orders: changed.filter((h) => h.statusChanged).map((h) => ({ id: h.order.id, status: h.order.status })),
      // Serialised once per order and write: the document as the transaction leaves it.
      documents: changed.map(statusRowOf),
    });
    for (const h of changed) Object.assign(h, { movedStops: new Set(), statusChanged: false, changed: false });
    return ctes;
  }
}

/** A status update's match criteria, each list one `matches_any` (all lists must hold). */
export interface StopCriteria {
  orderIds: string[][];
  orderNames: string[][];
  orderReferences: string[][];
  consignmentReferences: string[][];
  /** Consignment positions in their order, from 1. */
  consignmentSequences: number[];
  stopReferences: string[][];
  stopTypes: StopType[];
}

/**
 * Which of `stopIds` (the caller's candidates) meet every criterion; at most `limit`, which is
 * enough to tell one match from several.
 */
export async function filterStops(exec: Executor, tenantId: string, stopIds: readonly string[], c: StopCriteria, limit = 2): Promise<string[]> {
  if (!stopIds.length) return [];
  let q = exec
    .selectFrom('order_stops as s')
    .innerJoin('orders as o', (j) => j.onRef('o.tenant_id', '=', 's.tenant_id').onRef('o.id', '=', 's.order_id'))
    .leftJoin('order_consignments as c', (j) => j.onRef('c.tenant_id', '=', 's.tenant_id').onRef('c.id', '=', 's.consignment_id'))
    .select('s.id')
    .where('s.tenant_id', '=', tenantId)
    .where('s.id', 'in', [...stopIds]);
  for (const ids of c.orderIds) q = q.where('o.id', 'in', ids);
  for (const names of c.orderNames) q = q.where('o.name', 'in', names);
  for (const refs of c.orderReferences) q = q.where('o.customer_reference_number', 'in', refs);
  for (const refs of c.consignmentReferences) q = q.where('c.reference_number', 'in', refs);
  for (const sequence of c.consignmentSequences) q = q.where('c.position', '=', sequence - 1);
  for (const refs of c.stopReferences) q = q.where('s.reference_number', 'in', refs);
  for (const type of c.stopTypes) q = q.where('s.stop_type', '=', type);
  return (await q.limit(limit).execute()).map((r) => r.id);
}
