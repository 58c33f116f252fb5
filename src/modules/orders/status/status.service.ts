import { CompiledQuery } from 'kysely';
import { type CompanyParty, type CompaniesService, companySchemas } from '../../companies/index.js';
import type { Db, Executor } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import { notFound } from '../../../platform/http/errors.js';
import { commonSchemas } from '../../../platform/http/schemas.js';
import { OrderWithStatus, ordersSchemas } from '../views/views.schemas.js';
import { orderWithStatus, visibilityOrder, type VisibilityOrder } from '../views/views.output.js';
import * as repo from '../orders.repo.js';
import type { OrderAggregate, OrderRow, OrderScope } from '../orders.repo.js';
import type { OrderStatusDocumentTable } from '../orders.tables.js';
import { nullableDocumentSerializer } from './status.serializer.js';

/**
 * The order's stored status document (migration 011): its `GET …/status` answer, serialised from
 * the route's own schemas (the route serializer's bytes, see `nullableDocumentSerializer`) and
 * written in the transaction of every change to the order, together with the contract's
 * `VisibilityOrder` of that moment, which goes on the change's event. A status pull is one read by
 * key that sends the stored bytes, and a push is built from its event's own snapshot, however late
 * it is delivered.
 */

const serialize = nullableDocumentSerializer(OrderWithStatus, [...commonSchemas, ...companySchemas, ...ordersSchemas]);

/** Compiled once: the pull is the hottest read and building the query cost more than running it. */
const READ = `select customer_company_id, customer_version, document from order_status_documents
  where tenant_id = $1 and order_id = $2 and ($3::uuid is null or customer_company_id = $3::uuid)`;

type StoredRow = OrderStatusDocumentTable;

/** An order and its customer exactly as the open transaction wrote and read them. */
export interface KnownOrder {
  order: OrderAggregate;
  customer: CompanyParty;
}

export type StatusDocuments = ReturnType<typeof createStatusDocuments>;

/** The stored status row of an order held in memory. */
export function statusRowOf({ order, customer }: KnownOrder): StoredRow {
  return {
    tenant_id: order.tenant_id,
    order_id: order.id,
    customer_company_id: customer.id,
    customer_version: customer.version,
    document: serialize(orderWithStatus(order, customer)),
  };
}

/** Both documents of an order held in memory: the stored status row and the event's `VisibilityOrder`. */
export function documentsOf(known: KnownOrder): { row: StoredRow; visibility: VisibilityOrder } {
  return { row: statusRowOf(known), visibility: visibilityOrder(known.order, known.customer) };
}

export function createStatusDocuments(deps: { db: Db; companies: Pick<CompaniesService, 'findById'> }) {
  const { db, companies } = deps;

  /**
   * Both documents of the order as `exec` sees it (inside a transaction: what it wrote), or of the
   * order and customer the caller already holds in memory (a new order: nothing to read back).
   */
  async function compute(exec: Executor, tenantId: string, orderId: string): Promise<{ row: StoredRow; visibility: VisibilityOrder }> {
    const order = await repo.loadOrderAggregate(exec, tenantId, orderId, { kind: 'tenant' });
    const customer = order && (await companies.findById(tenantId, order.customer_company_id, exec));
    if (!order || !customer) throw notFound('Order');
    return documentsOf({ order, customer });
  }

  const upsert = (exec: Executor, row: StoredRow) =>
    exec
      .insertInto('order_status_documents')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'order_id']).doUpdateSet((eb) => ({
          customer_company_id: eb.ref('excluded.customer_company_id'),
          customer_version: eb.ref('excluded.customer_version'),
          document: eb.ref('excluded.document'),
        })),
      )
      .execute();

  /**
   * Stores the order's status document as the transaction `exec` leaves it; answers its
   * `VisibilityOrder` for the change's event.
   */
  async function store(exec: Executor, tenantId: string, orderId: string): Promise<VisibilityOrder> {
    const { row, visibility } = await compute(exec, tenantId, orderId);
    await upsert(exec, row);
    return visibility;
  }

  return {
    store,

    /**
     * Stores the order's document as the transaction leaves it, and answers the event fields that
     * carry its snapshot. (A new order's documents are written by its import's one statement.)
     */
    async forEvent(tx: Tx, order: OrderRow): Promise<{ extra: Record<string, unknown> }> {
      return { extra: { order_snapshot: await store(tx.trx, order.tenant_id, order.id) } };
    },

    /**
     * The serialised status answer: one read by key, scoped to the caller. An order stored before
     * this table existed, or whose customer company changed since, is computed and stored once,
     * under the order's lock so that no concurrent change is overwritten with an older state.
     */
    async read(tenantId: string, orderId: string, scope: OrderScope): Promise<string> {
      if (scope.kind === 'none') throw notFound('Order');
      const companyId = scope.kind === 'customer' ? scope.companyId : null;
      const { rows } = await db.executeQuery<StoredRow>(CompiledQuery.raw(READ, [tenantId, orderId, companyId]));
      const stored = rows[0];
      const customer = stored && (await companies.findById(tenantId, stored.customer_company_id));
      if (stored && customer?.version === stored.customer_version) return stored.document;
      return inTransaction(db, async (tx) => {
        if (!(await repo.findOrder(tx.trx, tenantId, orderId, scope, true))) throw notFound('Order');
        const { row } = await compute(tx.trx, tenantId, orderId);
        await upsert(tx.trx, row);
        return row.document;
      });
    },
  };
}
