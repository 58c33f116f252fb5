import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { OrderStatus, StopStatus } from '../status/status.policy.js';
import type { OrderStatusDocumentTable } from '../orders.tables.js';

/**
 * The SQL of recording stop reports held in memory (see `openStopExecutions`): one statement locks
 * the orders of the reported stops, one writes everything the reports changed. Both have one text
 * whatever the batch's size (its values go as arrays).
 */

/**
 * Locks the orders of these stops in id order (the lock order of every writer of orders, see
 * `lockStops`) and answers their ids with the transaction's time to the millisecond: what
 * `updated_at` becomes in every row this transaction writes.
 */
export async function lockOrdersOfStops(exec: Executor, tenantId: string, stopIds: readonly string[]): Promise<{ orderIds: string[]; now: Date }> {
  const { rows } = await sql<{ id: string; now: Date }>`
    select o.id, date_trunc('milliseconds', now()) as now from orders o
    where o.tenant_id = ${tenantId}
      and o.id in (select s.order_id from order_stops s where s.tenant_id = ${tenantId} and s.id = any(${[...stopIds]}::uuid[]))
    order by o.id
    for update of o`.execute(exec);
  return { orderIds: rows.map((r) => r.id), now: rows[0]?.now ?? new Date() };
}

/** A stop's execution state as it is written. Times as RFC 3339 text, or null. */
export interface StopExecutionWrite {
  id: string;
  status: StopStatus;
  eta_start: string | null;
  eta_end: string | null;
  actual_start: string | null;
  actual_end: string | null;
}

const column = <T, K extends keyof T>(rows: readonly T[], key: K) => rows.map((r) => r[key]);

/**
 * The CTEs that write stops' execution states, orders' new statuses and their status documents,
 * each row at most once (its final state), `updated_at` the transaction's time; the last one,
 * `written`, has one row once all of them have run, for a statement that writes more after them
 * (the transaction's events, see `writeDeferredEvents`).
 */
export function stopExecutionCtes(
  tenantId: string,
  changes: { stops: StopExecutionWrite[]; orders: Array<{ id: string; status: OrderStatus }>; documents: OrderStatusDocumentTable[] },
): RawBuilder<unknown> {
  const { stops, orders, documents } = changes;
  // The documents go as a row each: a text array would escape every quote of every document.
  const documentRows = documents.map((d) => sql`(${d.order_id}::uuid, ${d.customer_company_id}::uuid, ${d.customer_version}::int, ${d.document})`);
  return sql`moved_stops as (
      update order_stops s
      set status = v.status, eta_start = v.eta_start, eta_end = v.eta_end, actual_start = v.actual_start, actual_end = v.actual_end,
        updated_at = date_trunc('milliseconds', now())
      from unnest(${column(stops, 'id')}::uuid[], ${column(stops, 'status')}::text[], ${column(stops, 'eta_start')}::timestamptz[],
        ${column(stops, 'eta_end')}::timestamptz[], ${column(stops, 'actual_start')}::timestamptz[], ${column(stops, 'actual_end')}::timestamptz[])
        as v(id, status, eta_start, eta_end, actual_start, actual_end)
      where s.tenant_id = ${tenantId} and s.id = v.id
      returning 1
    ), moved_orders as (
      update orders o
      set status = v.status, updated_at = date_trunc('milliseconds', now())
      from unnest(${column(orders, 'id')}::uuid[], ${column(orders, 'status')}::text[]) as v(id, status)
      where o.tenant_id = ${tenantId} and o.id = v.id
      returning 1
    ), stored as (
      ${
        documentRows.length
          ? sql`insert into order_status_documents (tenant_id, order_id, customer_company_id, customer_version, document)
      select ${tenantId}::uuid, v.* from (values ${sql.join(documentRows)}) as v
      on conflict (tenant_id, order_id) do update
      set customer_company_id = excluded.customer_company_id, customer_version = excluded.customer_version, document = excluded.document
      returning 1`
          : sql`select 1 where false`
      }
    ), written as (
      select (select count(*) from moved_stops) + (select count(*) from moved_orders) + (select count(*) from stored) as n
    )`;
}
