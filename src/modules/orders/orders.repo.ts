import { sql, type CompiledQuery, type Insertable, type Selectable } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { drawCounter } from '../../platform/db/counters.js';
import type { Executor } from '../../platform/db/database.js';
import { containsPattern } from '../../platform/db/search.js';
import type { Actor } from '../../platform/events/actor.js';
import { eventCtes, type NewEvent } from '../../platform/events/append.js';
import type { OrderStatus } from './status/status.policy.js';
import type { ConsignmentTable, GoodTable, OrderTable, OrderUploadTable, StopTable } from './orders.tables.js';
import './orders.tables.js';

export type OrderRow = Selectable<OrderTable>;
export type NewConsignment = Insertable<ConsignmentTable>;
export type NewStop = Omit<Insertable<StopTable>, 'status'>;
export type NewGood = Insertable<GoodTable>;

/** Which orders a caller may see: all of the tenant's, one customer's, or none (no order is theirs yet). */
export type OrderScope = { kind: 'tenant' } | { kind: 'customer'; companyId: string } | { kind: 'none' };

/**
 * The order with this key (tenant, customer, order_identifier). `forUpdate` locks its row until
 * the transaction ends: the same lock partial updates take, so every change of one order waits
 * for the one before it and takes the order row before its children.
 */
export async function findOrderByKey(db: Executor, tenantId: string, customerId: string, identifier: string, forUpdate = false): Promise<OrderRow | undefined> {
  const q = db
    .selectFrom('orders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('customer_company_id', '=', customerId)
    .where('order_identifier', '=', identifier);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function findOrder(db: Executor, tenantId: string, id: string, scope: OrderScope, forUpdate = false): Promise<OrderRow | undefined> {
  if (scope.kind === 'none') return undefined;
  let q = db.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  if (scope.kind === 'customer') q = q.where('customer_company_id', '=', scope.companyId);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

/** Stops of an order with the keys an UPDATE matches them by. */
export async function findStopKeys(db: Executor, tenantId: string, orderId: string) {
  return db
    .selectFrom('order_stops as s')
    .leftJoin('order_consignments as c', (j) => j.onRef('c.tenant_id', '=', 's.tenant_id').onRef('c.id', '=', 's.consignment_id'))
    .select(['s.id', 's.stop_type', 's.reference_number', 's.status', 'c.position as consignment_position'])
    .where('s.tenant_id', '=', tenantId)
    .where('s.order_id', '=', orderId)
    .execute();
}

export async function findChildIds(db: Executor, tenantId: string, orderId: string) {
  const [consignments, goods] = await Promise.all([
    db.selectFrom('order_consignments').select(['id', 'position']).where('tenant_id', '=', tenantId).where('order_id', '=', orderId).execute(),
    db
      .selectFrom('order_goods as g')
      .innerJoin('order_consignments as c', (j) => j.onRef('c.tenant_id', '=', 'g.tenant_id').onRef('c.id', '=', 'g.consignment_id'))
      .select(['g.id', 'g.position', 'c.position as consignment_position'])
      .where('g.tenant_id', '=', tenantId)
      .where('g.order_id', '=', orderId)
      .execute(),
  ]);
  return { consignments, goods };
}

/** Placeholders the aggregate query is compiled with, replaced by the values of each call. */
const TENANT = '\u0000tenant';
const ORDER = '\u0000order';
const COMPANY = '\u0000company';
const ORDERS = '\u0000orders';

/** Which orders an aggregate query reads: one, seen by the tenant or by one customer, or several of the tenant's. */
type AggregateKind = 'tenant' | 'customer' | 'several';

/**
 * The whole order in one round trip: the header row with its consignments, stops and goods as
 * JSON arrays. Timestamps inside the arrays arrive as text (JSON has no dates).
 */
function aggregateQuery(db: Executor, kind: AggregateKind) {
  let q = db
    .selectFrom('orders as o')
    .selectAll('o')
    .select((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('order_consignments as c')
          .select(['c.id', 'c.position', 'c.reference_number', 'c.details'])
          .whereRef('c.tenant_id', '=', 'o.tenant_id')
          .whereRef('c.order_id', '=', 'o.id')
          .orderBy('c.position'),
      ).as('consignments'),
      jsonArrayFrom(
        eb
          .selectFrom('order_stops as s')
          .select([
            's.id',
            's.consignment_id',
            's.stop_type',
            's.sequence',
            's.status',
            's.requested_date',
            's.location',
            's.reference_number',
            's.eta_start',
            's.eta_end',
            's.actual_start',
            's.actual_end',
            's.details',
          ])
          .whereRef('s.tenant_id', '=', 'o.tenant_id')
          .whereRef('s.order_id', '=', 'o.id')
          .orderBy('s.sequence'),
      ).as('stops'),
      jsonArrayFrom(
        eb
          .selectFrom('order_goods as g')
          .select(['g.id', 'g.consignment_id', 'g.position', 'g.details'])
          .whereRef('g.tenant_id', '=', 'o.tenant_id')
          .whereRef('g.order_id', '=', 'o.id')
          .orderBy('g.position'),
      ).as('goods'),
    ])
    .where('o.tenant_id', '=', TENANT);
  if (kind === 'several') return q.where(sql<boolean>`o.id = any(${ORDERS}::uuid[])`).orderBy('o.id');
  q = q.where('o.id', '=', ORDER);
  if (kind === 'customer') q = q.where('o.customer_company_id', '=', COMPANY);
  return q;
}

type AggregateRow = Awaited<ReturnType<ReturnType<typeof aggregateQuery>['executeTakeFirstOrThrow']>>;

/**
 * The aggregate query compiled once per scope: every order read (the status pull above all)
 * would otherwise rebuild and recompile the same SQL, a tenth of the route's CPU when profiled.
 * Both engines speak PostgreSQL, so one compilation serves every database.
 */
const compiledAggregates = new Map<AggregateKind, CompiledQuery<AggregateRow>>();

/** Runs the aggregate query of `kind` with these placeholder values. */
async function runAggregate(db: Executor, kind: AggregateKind, values: Record<string, string | string[]>): Promise<AggregateRow[]> {
  let compiled = compiledAggregates.get(kind);
  if (!compiled) {
    compiled = aggregateQuery(db, kind).compile();
    if (compiled.parameters.some((p) => typeof p !== 'string' || !(p in values))) throw new Error('the order aggregate query has a parameter of its own');
    compiledAggregates.set(kind, compiled);
  }
  const { rows } = await db.executeQuery<AggregateRow>({ ...compiled, parameters: compiled.parameters.map((p) => values[p as string]) });
  return rows;
}

export async function loadOrderAggregate(db: Executor, tenantId: string, orderId: string, scope: OrderScope): Promise<AggregateRow | undefined> {
  if (scope.kind === 'none') return undefined;
  const values = { [TENANT]: tenantId, [ORDER]: orderId, [COMPANY]: scope.kind === 'customer' ? scope.companyId : '' };
  return (await runAggregate(db, scope.kind, values))[0];
}

/** Several of the tenant's orders, whole (see `loadOrderAggregate`), in id order: one round trip for a batch. */
export async function loadOrderAggregates(db: Executor, tenantId: string, orderIds: readonly string[]): Promise<AggregateRow[]> {
  return orderIds.length ? runAggregate(db, 'several', { [TENANT]: tenantId, [ORDERS]: [...orderIds] }) : [];
}

export type OrderAggregate = NonNullable<Awaited<ReturnType<typeof loadOrderAggregate>>>;
export type StopRecord = OrderAggregate['stops'][number];

/**
 * What a new order's statement writes. The texts (status document, event snapshot) are built
 * before the statement, so they hold `placeholders.name` where the order's name goes and
 * `placeholders.time` where its creation time goes (both JSON strings no input can contain:
 * a fresh UUID, a random instant past year 200000); the statement puts in what it draws.
 */
export interface NewOrderWrite {
  order: Omit<Insertable<OrderTable>, 'name' | 'created_at' | 'updated_at'>;
  rows: { consignments: NewConsignment[]; stops: NewStop[]; goods: NewGood[] };
  upload: Insertable<OrderUploadTable>;
  status: { customer_company_id: string; customer_version: number; document: string };
  placeholders: { name: string; time: string };
  /** The `order.accepted` event, and the order's snapshot (a text with the placeholders) merged into its payload. */
  event: { event: NewEvent; id: string; snapshot: string; actor?: Actor };
}

/** The order key's unique constraint (migration 002): a taken key fails the statement with it. */
const ORDER_KEY = 'orders_tenant_id_customer_company_id_order_identifier_key';

/** Whether a statement failed because an order's key (customer, order_identifier) is taken. */
export const isOrderKeyTaken = (err: unknown): boolean =>
  (err as { code?: string }).code === '23505' && (err as { constraint?: string }).constraint === ORDER_KEY;

const valuesOf = <T extends object>(rows: T[], columns: Array<keyof T>) => sql.join(rows.map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`));

/**
 * New orders of one tenant in one autocommitted statement: each order, its consignments, stops
 * and goods, its upload, its stored status document and its `order.accepted` event, with no round
 * trip while the tenant's counters are locked. The names are drawn from the tenant's gap-free
 * counter first and the event positions after the orders are in (the lock order of every other
 * writer), both in the order of `writes`. If any key is taken, the whole statement fails (see
 * `isOrderKeyTaken`) and gives its numbers back. Foreign keys are checked at the end of the
 * statement, when every CTE has run. Answers each order's name, in the order of `writes`.
 */
export async function insertNewOrders(
  db: Executor,
  tenantId: string,
  writes: NewOrderWrite[],
  nameFormat: { prefix: string; digits: number },
): Promise<string[]> {
  if (!writes.length || writes.some((w) => w.order.tenant_id !== tenantId)) throw new Error('new orders are written for one tenant, at least one');
  const last = writes.length - 1;
  const number = (i: number) => sql`(value - ${sql.lit(last - i)})::text`;
  const drawnName = (i: number) =>
    sql`(select ${nameFormat.prefix} || lpad(${number(i)}, greatest(${nameFormat.digits}::int, length(${number(i)})), '0') from drawn_name)`;
  // A text with this order's placeholders replaced by what the statement drew for it.
  const filled = (w: NewOrderWrite, text: string) =>
    sql`(select replace(replace(${text}, ${w.placeholders.name}, to_json(n.name)::text), ${w.placeholders.time}, n.time_json) from new_orders n where n.id = ${w.order.id}::uuid)`;
  const orderColumns = [
    'order_identifier',
    'customer_company_id',
    'customer_reference_number',
    'is_quote',
    'status',
    'customer_entity',
    'header',
    'input_hash',
    'created_by_client_id',
  ] as const;
  const consignments = writes.flatMap((w) => w.rows.consignments);
  const stops = writes.flatMap((w) => w.rows.stops);
  const goods = writes.flatMap((w) => w.rows.goods);
  const events = writes.map((w) => ({
    event: w.event.event,
    id: w.event.id,
    actor: w.event.actor,
    extraPayload: sql`jsonb_build_object('order_name', (select name from new_orders n where n.id = ${w.order.id}::uuid), 'order_snapshot', ${filled(w, w.event.snapshot)}::jsonb)`,
  }));
  const { rows } = await sql<{ id: string; name: string }>`
    with drawn_name as (${drawCounter(tenantId, 'order_name', { count: writes.length })}), new_orders as (
      insert into orders (tenant_id, id, name, ${sql.join(orderColumns.map((c) => sql.ref(c)))})
      values ${sql.join(writes.map((w, i) => sql`(${tenantId}, ${w.order.id}, ${drawnName(i)}, ${sql.join(orderColumns.map((c) => w.order[c] ?? null))})`))}
      returning id, name, to_json(to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text as time_json
    ), new_consignments as (
      insert into order_consignments (tenant_id, id, order_id, position, reference_number, details)
      values ${valuesOf(consignments, ['tenant_id', 'id', 'order_id', 'position', 'reference_number', 'details'])}
    ), new_stops as (
      insert into order_stops (tenant_id, id, order_id, consignment_id, stop_type, sequence, requested_date, location, reference_number, details)
      values ${valuesOf(stops, ['tenant_id', 'id', 'order_id', 'consignment_id', 'stop_type', 'sequence', 'requested_date', 'location', 'reference_number', 'details'])}
    ), ${
      goods.length
        ? sql`new_goods as (
      insert into order_goods (tenant_id, id, order_id, consignment_id, position, details)
      values ${valuesOf(goods, ['tenant_id', 'id', 'order_id', 'consignment_id', 'position', 'details'])}
    ),`
        : sql``
    } new_uploads as (
      insert into order_uploads (tenant_id, id, api_client_id, uploader_company_id, operation, order_identifier, status, order_id, errors)
      values ${valuesOf(
        writes.map((w) => w.upload),
        ['tenant_id', 'id', 'api_client_id', 'uploader_company_id', 'operation', 'order_identifier', 'status', 'order_id', 'errors'],
      )}
    ), stored_status as (
      insert into order_status_documents (tenant_id, order_id, customer_company_id, customer_version, document)
      values ${sql.join(writes.map((w) => sql`(${tenantId}, ${w.order.id}, ${w.status.customer_company_id}, ${w.status.customer_version}, ${filled(w, w.status.document)})`))}
    ), ${eventCtes(events, { after: 'new_orders' })}
    select id, name, (select count(*) from inserted) as events from new_orders`.execute(db);
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return writes.map((w) => {
    const name = names.get(w.order.id);
    if (!name) throw new Error(`writing new orders returned no row for order ${w.order.id}`);
    return name;
  });
}

export async function updateOrder(
  db: Executor,
  tenantId: string,
  id: string,
  set: Partial<
    Pick<Insertable<OrderTable>, 'customer_reference_number' | 'is_quote' | 'status' | 'cancelled_at' | 'customer_entity' | 'header' | 'input_hash'>
  >,
): Promise<OrderRow> {
  return db
    .updateTable('orders')
    .set({ ...set, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Writes an order's children to exactly `rows`: rows with a known id are updated in place (stops
 * keep their execution status and timestamps), new ids are inserted, and ids no longer listed are
 * deleted. Consignments go first and are deleted last, so a stop or good that moves to another
 * consignment is never caught by a cascade.
 */
export async function replaceChildren(
  db: Executor,
  tenantId: string,
  orderId: string,
  rows: { consignments: NewConsignment[]; stops: NewStop[]; goods: NewGood[] },
): Promise<void> {
  const { consignments, stops, goods } = rows;
  if (consignments.length) {
    await db
      .insertInto('order_consignments')
      .values(consignments)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
          position: eb.ref('excluded.position'),
          reference_number: eb.ref('excluded.reference_number'),
          details: eb.ref('excluded.details'),
        })),
      )
      .execute();
  }
  if (stops.length) {
    await db
      .insertInto('order_stops')
      .values(stops)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
          consignment_id: eb.ref('excluded.consignment_id'),
          stop_type: eb.ref('excluded.stop_type'),
          sequence: eb.ref('excluded.sequence'),
          requested_date: eb.ref('excluded.requested_date'),
          location: eb.ref('excluded.location'),
          reference_number: eb.ref('excluded.reference_number'),
          details: eb.ref('excluded.details'),
          updated_at: sql<Date>`date_trunc('milliseconds', now())`,
        })),
      )
      .execute();
  }
  if (goods.length) {
    await db
      .insertInto('order_goods')
      .values(goods)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
          consignment_id: eb.ref('excluded.consignment_id'),
          position: eb.ref('excluded.position'),
          details: eb.ref('excluded.details'),
        })),
      )
      .execute();
  }
  const keep = (ids: string[]) => (ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  await db
    .deleteFrom('order_goods')
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('id', 'not in', keep(goods.map((g) => g.id)))
    .execute();
  await db
    .deleteFrom('order_stops')
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('id', 'not in', keep(stops.map((s) => s.id)))
    .execute();
  await db
    .deleteFrom('order_consignments')
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .where('id', 'not in', keep(consignments.map((c) => c.id)))
    .execute();
}

/**
 * First-time insert of an order's children, in one statement (stops and goods as data-modifying
 * CTEs beside the consignments' insert): no existing rows to keep or delete. Foreign keys are
 * checked at the end of the statement, when every CTE has run.
 */
export async function insertChildren(db: Executor, rows: { consignments: NewConsignment[]; stops: NewStop[]; goods: NewGood[] }): Promise<void> {
  const { consignments, stops, goods } = rows;
  // Every consignment has a pickup and a delivery stop, so there are stops whenever there are consignments.
  if (!consignments.length || !stops.length) throw new Error('an order is written with at least one consignment and its stops');
  const withStops = db.with('new_stops', (q) => q.insertInto('order_stops').values(stops));
  if (goods.length) {
    await withStops
      .with('new_goods', (q) => q.insertInto('order_goods').values(goods))
      .insertInto('order_consignments')
      .values(consignments)
      .execute();
  } else {
    await withStops.insertInto('order_consignments').values(consignments).execute();
  }
}

/** Cancels every stop not yet completed (a delivered stop stays delivered); returns the statuses left. */
export async function cancelStops(db: Executor, tenantId: string, orderId: string): Promise<void> {
  await db
    .updateTable('order_stops')
    .set({ status: sql`case when status = 'COMPLETED' then status else 'CANCELLED' end`, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .execute();
}

export async function insertUpload(db: Executor, row: Insertable<OrderUploadTable>) {
  return db.insertInto('order_uploads').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findUpload(db: Executor, tenantId: string, id: string) {
  return db
    .selectFrom('order_uploads as u')
    .leftJoin('orders as o', (j) => j.onRef('o.tenant_id', '=', 'u.tenant_id').onRef('o.id', '=', 'u.order_id'))
    .selectAll('u')
    .select('o.name as order_name')
    .where('u.tenant_id', '=', tenantId)
    .where('u.id', '=', id)
    .executeTakeFirst();
}

export interface OrderListFilter {
  tenantId: string;
  scope: OrderScope;
  status?: OrderStatus;
  customerCompanyId?: string;
  updatedAfter?: Date;
  /** Part of the name, identifier or customer reference, in any case. */
  search?: string;
  /** Latest change first instead of oldest first. */
  descending?: boolean;
  /** Orders with a stop requested on this date (YYYY-MM-DD). */
  stopDate?: string;
  after?: { ts: Date; id: string };
  limit: number;
}

/** A stop of the outer order (`o`) requested on `date`: "today's orders" are those with work that day. */
const stopOn = (date: string) =>
  sql<boolean>`exists (select 1 from order_stops s where s.tenant_id = o.tenant_id and s.order_id = o.id and s.requested_date = ${date}::date)`;

/** How many of the tenant's orders with a stop requested on `date` are in each status (the overview). */
export async function countOrdersOnDate(db: Executor, tenantId: string, date: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('orders as o')
    .select(['o.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('o.tenant_id', '=', tenantId)
    .where(stopOn(date))
    .groupBy('o.status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** A row of the order list. */
export type OrderListRow = Awaited<ReturnType<typeof listOrders>>[number];

/** Orders by last change, oldest first, with their first and last stop dates for the summary. */
export async function listOrders(db: Executor, f: OrderListFilter) {
  if (f.scope.kind === 'none') return [];
  let q = db
    .selectFrom('orders as o')
    .select(['o.id', 'o.name', 'o.order_identifier', 'o.customer_reference_number', 'o.status', 'o.customer_company_id', 'o.created_at', 'o.updated_at'])
    .select((eb) => [
      eb
        .selectFrom('order_stops as s')
        .select(sql<string | null>`min(s.requested_date)::text`.as('d'))
        .whereRef('s.tenant_id', '=', 'o.tenant_id')
        .whereRef('s.order_id', '=', 'o.id')
        .where('s.stop_type', '=', 'PICKUP')
        .as('first_pickup_date'),
      eb
        .selectFrom('order_stops as s')
        .select(sql<string | null>`max(s.requested_date)::text`.as('d'))
        .whereRef('s.tenant_id', '=', 'o.tenant_id')
        .whereRef('s.order_id', '=', 'o.id')
        .where('s.stop_type', '=', 'DELIVERY')
        .as('last_delivery_date'),
    ])
    .where('o.tenant_id', '=', f.tenantId);
  if (f.scope.kind === 'customer') q = q.where('o.customer_company_id', '=', f.scope.companyId);
  if (f.customerCompanyId) q = q.where('o.customer_company_id', '=', f.customerCompanyId);
  if (f.status) q = q.where('o.status', '=', f.status);
  if (f.updatedAfter) q = q.where('o.updated_at', '>', f.updatedAfter);
  if (f.search) {
    const pattern = containsPattern(f.search);
    q = q.where((eb) =>
      eb.or([eb('o.name', 'ilike', pattern), eb('o.order_identifier', 'ilike', pattern), eb('o.customer_reference_number', 'ilike', pattern)]),
    );
  }
  if (f.stopDate) q = q.where(stopOn(f.stopDate));
  const after = f.after;
  // Either direction walks orders_updated_idx (tenant_id, updated_at, id), forwards or backwards.
  const beyond = f.descending ? '<' : '>';
  if (after) {
    q = q.where((eb) => eb.or([eb('o.updated_at', beyond, after.ts), eb.and([eb('o.updated_at', '=', after.ts), eb('o.id', beyond, after.id)])]));
  }
  const direction = f.descending ? 'desc' : 'asc';
  return q
    .orderBy('o.updated_at', direction)
    .orderBy('o.id', direction)
    .limit(f.limit + 1)
    .execute();
}

/** Orders matching a customer reference number and/or an order name (for webhooks and documents). */
export async function matchOrders(
  db: Executor,
  tenantId: string,
  scope: OrderScope,
  by: { customerReferenceNumber?: string; name?: string; id?: string },
  limit = 10,
) {
  if (scope.kind === 'none') return [];
  // Scope and every criterion filter in SQL: filtering after the LIMIT would miss the caller's
  // order behind other companies' orders that share a reference.
  let q = db.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId);
  if (scope.kind === 'customer') q = q.where('customer_company_id', '=', scope.companyId);
  if (by.customerReferenceNumber !== undefined) q = q.where('customer_reference_number', '=', by.customerReferenceNumber);
  if (by.name !== undefined) q = q.where('name', '=', by.name);
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  return q.orderBy('created_at').limit(limit).execute();
}

/**
 * Orders matching every given list (a column's value in the list). Used by partial updates,
 * which must find exactly one; `limit` 2 is enough to tell one from several.
 */
export async function findOrdersMatching(
  db: Executor,
  tenantId: string,
  scope: OrderScope,
  lists: { ids: string[][]; names: string[][]; references: string[][]; customerIds: string[][] },
  limit = 2,
): Promise<OrderRow[]> {
  if (scope.kind === 'none') return [];
  let q = db.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId);
  if (scope.kind === 'customer') q = q.where('customer_company_id', '=', scope.companyId);
  for (const ids of lists.ids) q = q.where('id', 'in', ids);
  for (const names of lists.names) q = q.where('name', 'in', names);
  for (const refs of lists.references) q = q.where('customer_reference_number', 'in', refs);
  for (const customers of lists.customerIds) q = q.where('customer_company_id', 'in', customers);
  return q.limit(limit).execute();
}
