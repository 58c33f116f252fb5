import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { deriveOrderStatus, type OrderStatus, type StopStatus } from '../status/status.policy.js';
import { appendOrderEvent } from '../orders.events.js';
import type { OrderRow } from '../orders.repo.js';
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

/** The execution state of a stop, its order's row locked so concurrent reports of one order queue. */
export async function lockStopExecution(tx: Tx, tenantId: string, stopId: string): Promise<StopExecution | undefined> {
  const [stop] = await lockStops(tx, tenantId, [stopId]);
  if (!stop) return undefined;
  return tx.trx
    .selectFrom('order_stops')
    .select(['id', 'order_id', 'status', 'eta_start', 'eta_end', 'actual_start', 'actual_end'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', stopId)
    .executeTakeFirst();
}

/**
 * The execution state of several stops by id, their orders' rows locked in id order (see
 * `lockStops`): a batch of reports locks everything it may touch before its first change.
 */
export async function lockStopExecutions(tx: Tx, tenantId: string, stopIds: readonly string[]): Promise<Map<string, StopExecution>> {
  const locked = await lockStops(tx, tenantId, stopIds);
  if (!locked.length) return new Map();
  const rows = await tx.trx
    .selectFrom('order_stops')
    .select(['id', 'order_id', 'status', 'eta_start', 'eta_end', 'actual_start', 'actual_end'])
    .where('tenant_id', '=', tenantId)
    .where(
      'id',
      'in',
      locked.map((s) => s.id),
    )
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Writes a stop's new execution state (decided by the caller) and re-derives its order's status;
 * `first` records the caller's events before the order's (see `rederive`), given the order's
 * snapshot as this change leaves it.
 */
export async function recordStopExecution<S extends object>(
  tx: Tx,
  bus: EventBus,
  snapshot: OrderSnapshot<S>,
  tenantId: string,
  next: Pick<StopExecution, 'id' | 'order_id' | 'status' | 'eta_start' | 'eta_end' | 'actual_start' | 'actual_end'>,
  first?: (order: S) => Promise<void>,
): Promise<OrderRow[]> {
  await tx.trx
    .updateTable('order_stops')
    .set({
      status: next.status,
      eta_start: next.eta_start,
      eta_end: next.eta_end,
      actual_start: next.actual_start,
      actual_end: next.actual_end,
      updated_at: sql<Date>`date_trunc('milliseconds', now())`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', next.id)
    .execute();
  // `rederive` snapshots every order it touches, the stop's order among them.
  return rederive(tx, bus, snapshot, tenantId, [next.order_id], first && ((snapshots) => first(snapshots.get(next.order_id) as S)));
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
