import type { CompaniesService } from '../companies/index.js';
import type { Db, Executor } from '../../platform/db/database.js';
import type { Tx } from '../../platform/db/tx.js';
import type { StopStatus } from './status/status.policy.js';
import * as execution from './execution/execution.service.js';
import type { EventBus } from '../../platform/events/bus.js';
import { notFound } from '../../platform/http/errors.js';
import { cursorField, paginate } from '../../platform/http/pagination.js';
import type { Principal } from '../../platform/http/principal.js';
import { OrderChangeHooks, type OrderChangeListener } from './orders.events.js';
import { createOrderImporter, uploadOutput } from './import/import.service.js';
import { createPartialUpdater, type DocumentAttacher } from './partial/partial.service.js';
import { orderExport, orderOutput, visibilityOrder, type VisibilityOrder } from './views/views.output.js';
import type { OrderExport, OrderOutput, OrderSummary } from './views/views.schemas.js';
import { createStatusDocuments } from './status/status.service.js';
import * as repo from './orders.repo.js';
import type { OrderAggregate, OrderRow, OrderScope } from './orders.repo.js';
import { scopeOf } from './orders.policy.js';
import { ORDER_STATUSES } from './status/status.policy.js';
import type { OrderImport, OrderListQuery } from './orders.schemas.js';

/** The list's filters without its paging. */
export type OrderListFilters = Omit<OrderListQuery, 'cursor' | 'limit'>;

/** What other modules get to know about an order. */
export interface OrderRef {
  id: string;
  tenantId: string;
  name: string;
  customerCompanyId: string;
  customerReferenceNumber: string | null;
  status: string;
}

export type { VisibilityOrder };

const refOf = (row: OrderRow): OrderRef => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  customerCompanyId: row.customer_company_id,
  customerReferenceNumber: row.customer_reference_number,
  status: row.status,
});

export type OrdersService = ReturnType<typeof createOrdersService>;

export function createOrdersService(deps: { db: Db; bus: EventBus; companies: CompaniesService; documents: DocumentAttacher }) {
  const { db, companies } = deps;
  const changes = new OrderChangeHooks();
  const statusDocuments = createStatusDocuments(deps);
  const importOrder = createOrderImporter({ ...deps, changes, statusDocuments });
  const partialUpdate = createPartialUpdater({ ...deps, changes, statusDocuments });

  /** The contract's `VisibilityOrder` of an order as `exec` sees it (inside a transaction: what it wrote). */
  async function snapshotOf(tenantId: string, orderId: string, exec: Executor = db): Promise<VisibilityOrder> {
    const order = await repo.loadOrderAggregate(exec, tenantId, orderId, { kind: 'tenant' });
    const customer = order && (await companies.findById(tenantId, order.customer_company_id, exec));
    if (!order || !customer) throw notFound('Order');
    return visibilityOrder(order, customer);
  }

  async function load(tenantId: string, orderId: string, scope: OrderScope) {
    const order = await repo.loadOrderAggregate(db, tenantId, orderId, scope);
    if (!order) throw notFound('Order');
    const customer = await companies.findById(tenantId, order.customer_company_id);
    // The foreign key makes a missing customer impossible; treat it as a missing order all the same.
    if (!customer) throw notFound('Order');
    return { order, customer };
  }

  /** One page of the order list: `limit` + 1 rows after `after`, so the caller can tell whether more follow. */
  async function listRows(principal: Principal, f: OrderListFilters, after: { ts: Date; id: string } | undefined, limit: number) {
    const tenantId = principal.tenantId;
    const customerCompanyId = f.customer_code ? await companies.findCompanyId(tenantId, f.customer_code) : undefined;
    if (f.customer_code && !customerCompanyId) return [];
    return repo.listOrders(db, {
      tenantId,
      scope: scopeOf(principal),
      status: f.status,
      customerCompanyId,
      updatedAfter: f.updated_after ? new Date(f.updated_after) : undefined,
      search: f.q,
      descending: f.order === 'desc',
      stopDate: f.stop_date,
      after,
      limit,
    });
  }

  /** List rows → the wire's summaries, each customer read once per page. */
  async function summaries(tenantId: string, rows: repo.OrderListRow[]): Promise<OrderSummary[]> {
    const customerIds = [...new Set(rows.map((r) => r.customer_company_id))];
    const customers = new Map((await Promise.all(customerIds.map((id) => companies.findById(tenantId, id)))).flatMap((c) => (c ? [[c.id, c]] : [])));
    return rows.map((r) => {
      const customer = customers.get(r.customer_company_id);
      return {
        id: r.id,
        name: r.name,
        order_identifier: r.order_identifier,
        customer_reference_number: r.customer_reference_number,
        status: r.status,
        customer: { id: r.customer_company_id, code: customer?.code ?? null, name: customer?.name ?? '' },
        first_pickup_date: r.first_pickup_date,
        last_delivery_date: r.last_delivery_date,
        created_timestamp: r.created_at.toISOString(),
        updated_timestamp: r.updated_at.toISOString(),
      };
    });
  }

  return {
    importOrder,
    partialUpdate,

    /** For other modules: run `listener` inside every transaction that changes or cancels an order. */
    onOrderChanged: (listener: OrderChangeListener) => changes.add(listener),

    async getUpload(principal: Principal, uploadId: string): Promise<OrderImport> {
      const upload = await repo.findUpload(db, principal.tenantId, uploadId);
      const visible = upload && (principal.role === 'TENANT' || (principal.companyId !== null && upload.uploader_company_id === principal.companyId));
      if (!upload || !visible) throw notFound('Upload');
      return uploadOutput(upload, upload.order_name);
    },

    async get(principal: Principal, orderId: string): Promise<OrderOutput> {
      const { order, customer } = await load(principal.tenantId, orderId, scopeOf(principal));
      return orderOutput(order, customer);
    },

    /** The `OrderWithStatus` answer, already serialised: the stored status document. */
    async getStatus(principal: Principal, orderId: string): Promise<string> {
      return statusDocuments.read(principal.tenantId, orderId, scopeOf(principal));
    },

    async exportOrder(principal: Principal, orderId: string): Promise<OrderExport> {
      const order: OrderAggregate | undefined = await repo.loadOrderAggregate(db, principal.tenantId, orderId, scopeOf(principal));
      if (!order) throw notFound('Order');
      return orderExport(order);
    },

    /** The tenant's orders with a stop requested on `date`, counted per status (the console's overview). */
    countOnDate: (tenantId: string, date: string) => repo.countOrdersOnDate(db, tenantId, date),

    async list(principal: Principal, query: OrderListQuery): Promise<{ items: OrderSummary[]; next_cursor: string | null }> {
      const tenantId = principal.tenantId;
      const page = await paginate({
        query,
        filters: {
          status: query.status,
          customer_code: query.customer_code,
          updated_after: query.updated_after,
          q: query.q,
          order: query.order,
          stop_date: query.stop_date,
        },
        fields: {
          status: cursorField.oneOf(ORDER_STATUSES),
          customer_code: cursorField.text(100),
          updated_after: cursorField.dateTime,
          q: cursorField.text(100),
          order: cursorField.oneOf(['asc', 'desc']),
          stop_date: cursorField.date,
        },
        fetch: ({ filters, after, limit }) => listRows(principal, filters, after, limit),
        key: (r) => ({ ts: r.updated_at, id: r.id }),
      });
      return { items: await summaries(tenantId, page.rows), next_cursor: page.next_cursor };
    },

    /**
     * Every order the list's filters select, as summaries, a page of `pageSize` at a time (exports):
     * each page is one query, so a long export never holds a transaction or the event loop.
     */
    async *allPages(principal: Principal, query: OrderListFilters, pageSize = 500): AsyncGenerator<OrderSummary[]> {
      let after: { ts: Date; id: string } | undefined;
      for (;;) {
        const rows = await listRows(principal, query, after, pageSize);
        const page = rows.slice(0, pageSize);
        if (page.length) yield await summaries(principal.tenantId, page);
        const last = page.at(-1);
        if (rows.length <= pageSize || !last) return;
        after = { ts: last.updated_at, id: last.id };
      }
    },

    /** For other modules: the order if this caller may see it, else a 404. */
    async findVisibleOrder(principal: Principal, orderId: string): Promise<OrderRef> {
      const row = await repo.findOrder(db, principal.tenantId, orderId, scopeOf(principal));
      if (!row) throw notFound('Order');
      return refOf(row);
    },

    /** For other modules: any order of the tenant, whoever the caller (they decided it may be used). */
    async findOrderRef(tenantId: string, orderId: string): Promise<OrderRef> {
      const row = await repo.findOrder(db, tenantId, orderId, { kind: 'tenant' });
      if (!row) throw notFound('Order');
      return refOf(row);
    },

    /** For other modules: orders this caller may see matching a customer reference number and/or an order name (and id). */
    async matchOrder(principal: Principal, by: { customerReferenceNumber?: string; name?: string; id?: string }): Promise<OrderRef[]> {
      if (by.customerReferenceNumber === undefined && by.name === undefined) return [];
      return (await repo.matchOrders(db, principal.tenantId, scopeOf(principal), by)).map(refOf);
    },

    /**
     * For trips: the orders as the contract's dispatch payloads show them (`DispatchOrder`), read
     * inside the caller's transaction so a dispatch message shows exactly what that transaction wrote.
     */
    async tripOrders(exec: Executor, tenantId: string, orderIds: readonly string[]): Promise<OrderOutput[]> {
      const outputs: OrderOutput[] = [];
      for (const orderId of orderIds) {
        const order = await repo.loadOrderAggregate(exec, tenantId, orderId, { kind: 'tenant' });
        const customer = order && (await companies.findById(tenantId, order.customer_company_id, exec));
        if (order && customer) outputs.push(orderOutput(order, customer));
      }
      return outputs;
    },

    /** For trips: plan, dispatch and execute stops (see execution/execution.service.ts). */
    execution: {
      lockStops: execution.lockStops,
      setPlanningStatus: (tx: Tx, tenantId: string, stopIds: readonly string[], status: StopStatus) =>
        execution.setPlanningStatus(tx, deps.bus, statusDocuments.store, tenantId, stopIds, status),
      async rescheduleStops(exec: Executor, tenantId: string, schedule: readonly execution.StopSchedule[]): Promise<void> {
        for (const orderId of await execution.rescheduleStops(exec, tenantId, schedule)) await statusDocuments.store(exec, tenantId, orderId);
      },
      openStopExecutions: (tx: Tx, tenantId: string, stopIds: readonly string[]) =>
        execution.openStopExecutions(tx, deps.bus, (exec, t, companyId) => companies.findById(t, companyId, exec), tenantId, stopIds),
      filterStops: execution.filterStops,
    },

    /**
     * The contract's `VisibilityOrder` snapshot of an order; read through `exec` inside a
     * transaction, it is the state that transaction wrote (stored with its event).
     */
    visibilityOrder: snapshotOf,
  };
}
