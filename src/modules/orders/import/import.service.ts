import { randomUUID } from 'node:crypto';
import type { CompanyParty, CompaniesService } from '../../companies/index.js';
import type { Db } from '../../../platform/db/database.js';
import { TenantBatches } from '../../../platform/db/tenant-batches.js';
import { currentActor } from '../../../platform/events/actor.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { badRequest, detail, forbidden, isAppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { canCancel, canChangeQuoteFlag, deriveOrderStatus, type StopStatus } from '../status/status.policy.js';
import { appendOrderEvent, cancelOrderRows, orderEvent, type OrderChangeHooks, type OrderEventType } from '../orders.events.js';
import { compact, headerOf, inputHash, newOrderAggregate, planConsignments, rowsOf } from '../orders.mapping.js';
import * as repo from '../orders.repo.js';
import type { OrderRow } from '../orders.repo.js';
import type { OrderImport, OrderInput } from '../orders.schemas.js';
import { documentsOf, type StatusDocuments } from '../status/status.service.js';
import type { UploadError, UploadStatus } from '../orders.tables.js';

/**
 * CREATE / UPDATE / DELETE of one order from an `OrderInput`, keyed by (customer,
 * order_identifier). The contract's upload API is asynchronous; Waybill does the work at once, in
 * one transaction (a new order: one statement, shared with the tenant's other new orders of the
 * moment), and records the outcome as an upload the client may poll. A rule the input
 * breaks (unknown customer, cancelled order...) ends the upload in ERROR with the reason in
 * `errors`; nothing of the order is written then.
 */

/** Order names: `OR-000001`, gap-free per tenant. */
const ORDER_NAME = { prefix: 'OR-', digits: 6 };

/** Most new orders of one tenant written by one statement (about 120 parameters each). */
const NEW_ORDERS_PER_STATEMENT = 50;

/** A rule the input breaks: the upload ends in ERROR with this message, attached to `order` if there is one. */
class Rejection extends Error {
  constructor(
    message: string,
    readonly order?: OrderRow,
  ) {
    super(message);
  }
}

/** One import operation's inputs: the open transaction, the caller, the body and its customer. */
interface Operation {
  tx: Tx;
  principal: Principal;
  input: OrderInput;
  customer: CompanyParty;
}

interface Outcome {
  status: UploadStatus;
  order?: OrderRow;
  errors: UploadError[];
  /** The event to record once everything else is written (see `importOrder`). */
  event?: OrderEventType;
  /** Why the upload was rejected, for the `order.import_rejected` event. */
  reason?: string;
}

/**
 * Placeholder name of a new order in the texts built before its statement draws the name (see
 * `repo.insertNewOrder`). A fresh UUID, so no input can hold it.
 */
const unnamed = (id: string) => `pending:${id}`;

/**
 * Placeholder creation time of a new order, in the same texts: a random instant past year 200000,
 * written as `+2xxxxx-…Z`, a form no date-time input passes validation with (and random, so no free
 * text can hold it either). The statement puts the time its row took in its place.
 */
const pendingTime = () => new Date(8.64e15 - Math.floor(Math.random() * 2e15));

export function uploadOutput(
  upload: { id: string; status: UploadStatus; order_id: string | null; errors: UploadError[] },
  orderName: string | null,
): OrderImport {
  return {
    upload_id: upload.id,
    upload_status: upload.status,
    upload_url: `/v1/orders/order/upload/${upload.id}`,
    order_id: upload.order_id,
    order_url: upload.order_id ? `/v1/orders/order/${upload.order_id}` : null,
    order_name: orderName,
    errors: upload.errors,
  };
}

export function createOrderImporter(deps: { db: Db; bus: EventBus; companies: CompaniesService; changes: OrderChangeHooks; statusDocuments: StatusDocuments }) {
  const { db, bus, companies, changes, statusDocuments } = deps;

  /** One new order alone: its name, or `undefined` when its key is taken. */
  async function writeNewOrder(tenantId: string, write: repo.NewOrderWrite): Promise<PromiseSettledResult<string | undefined>> {
    try {
      const [name] = await repo.insertNewOrders(db, tenantId, [write], ORDER_NAME);
      bus.notifyCommitted(tenantId);
      return { status: 'fulfilled', value: name };
    } catch (err) {
      return repo.isOrderKeyTaken(err) ? { status: 'fulfilled', value: undefined } : { status: 'rejected', reason: err };
    }
  }

  /**
   * New orders of a tenant that arrive while its previous ones are being written go together, in
   * one statement and one commit (see TenantBatches). If that statement fails (a key taken, say),
   * each order is written again on its own, so one order's fault is its alone.
   */
  const newOrders = new TenantBatches<repo.NewOrderWrite, string | undefined>(
    async (tenantId, writes) => {
      if (writes.length > 1) {
        try {
          const names = await repo.insertNewOrders(db, tenantId, writes, ORDER_NAME);
          bus.notifyCommitted(tenantId);
          return names.map((value) => ({ status: 'fulfilled', value }));
        } catch {
          // Each again on its own, below.
        }
      }
      const outcomes: Array<PromiseSettledResult<string | undefined>> = [];
      for (const write of writes) outcomes.push(await writeNewOrder(tenantId, write));
      return outcomes;
    },
    { maxBatch: NEW_ORDERS_PER_STATEMENT, maxRunning: 2 },
  );

  /**
   * The order's customer. A CUSTOMER client orders only for its own company: the body may leave
   * `customer` out or name that company; naming another one is refused before anything is
   * looked up, so the answer reveals nothing about other companies.
   */
  async function resolveCustomer(principal: Principal, entity: OrderInput['customer']): Promise<CompanyParty> {
    const named = Boolean(entity?.code || entity?.name);
    if (principal.role === 'CUSTOMER' && principal.companyId) {
      const own = await companies.findById(principal.tenantId, principal.companyId);
      if (!own) throw forbidden("This client's company no longer exists");
      const sameCode = entity?.code ? entity.code === own.code : undefined;
      const sameName = entity?.name ? entity.name.toLowerCase() === own.name.toLowerCase() : undefined;
      if (named && !(sameCode ?? sameName)) {
        throw forbidden('A customer client can only upload orders for its own company; leave customer out or name your company');
      }
      return own;
    }
    if (principal.role !== 'TENANT') throw forbidden('Only tenant and customer clients can upload orders');
    if (!named) throw badRequest('customer needs a code or a name', [detail('customer.code or customer.name is required', 'customer')]);
    return companies.resolveByCodeOrName(principal.tenantId, entity ?? {});
  }

  /** The order the input's key names, its row locked (UPDATE and DELETE). */
  function lockAndFind({ tx, principal, input, customer }: Operation): Promise<OrderRow | undefined> {
    return repo.findOrderByKey(tx.trx, principal.tenantId, customer.id, input.order_identifier, true);
  }

  /**
   * A new order: everything it writes (order, children, upload, status document, event) in one
   * statement, built before it runs (see `repo.insertNewOrder`). `undefined` when its key is
   * taken: the import then goes the transactional way, to `existingOrder`.
   */
  async function createAtOnce(principal: Principal, input: OrderInput, customer: CompanyParty, uploadId: string): Promise<OrderImport | undefined> {
    const tenantId = principal.tenantId;
    const id = randomUUID();
    const rows = rowsOf(tenantId, id, planConsignments(input.consignments));
    const quote = input.order_status === 'QUOTE';
    const time = pendingTime();
    const customerEntity = compact(input.customer ?? { code: customer.code, name: customer.name });
    const header = headerOf(input);
    const order: OrderRow = {
      tenant_id: tenantId,
      id,
      name: unnamed(id),
      order_identifier: input.order_identifier,
      customer_company_id: customer.id,
      customer_reference_number: input.customer_reference_number ?? null,
      is_quote: quote,
      status: deriveOrderStatus({ quote, cancelled: false, stopStatuses: rows.stops.map(() => 'TO_PLAN') }),
      cancelled_at: null,
      customer_entity: customerEntity,
      header,
      input_hash: inputHash(input, customer.id),
      created_by_client_id: principal.apiClientId,
      created_at: time,
      updated_at: time,
    };
    const { row: status, visibility } = documentsOf({ order: newOrderAggregate(order, rows), customer });
    const name = await newOrders.submit(tenantId, {
      order: { ...order, customer_entity: JSON.stringify(customerEntity), header: JSON.stringify(header) },
      rows,
      upload: uploadRow(principal, uploadId, input, { status: 'COMPLETED', order, errors: [] }),
      status,
      placeholders: { name: JSON.stringify(order.name), time: JSON.stringify(time.toISOString()) },
      event: {
        event: orderEvent('order.accepted', order, { upload_id: uploadId }),
        id: randomUUID(),
        snapshot: JSON.stringify(visibility),
        actor: currentActor(),
      },
    });
    return name === undefined ? undefined : uploadOutput({ id: uploadId, status: 'COMPLETED', order_id: id, errors: [] }, name);
  }

  /** A CREATE whose key is taken: a duplicate of the order holding it, or a rejection if that one is cancelled. */
  async function existingOrder({ tx, principal, input, customer }: Operation): Promise<Outcome> {
    const existing = await repo.findOrderByKey(tx.trx, principal.tenantId, customer.id, input.order_identifier);
    if (!existing) throw new Error(`order key "${input.order_identifier}" is taken but no order holds it`);
    if (existing.cancelled_at) {
      throw new Rejection(`Order ${existing.name} (order_identifier "${input.order_identifier}") is cancelled; use a new order_identifier`, existing);
    }
    return { status: 'DUPLICATE', order: existing, errors: [] };
  }

  async function update(op: Operation): Promise<Outcome> {
    const { tx, principal, input, customer } = op;
    const existing = await lockAndFind(op);
    if (!existing) throw new Rejection(`No order with order_identifier "${input.order_identifier}" for this customer; send CREATE first`);
    if (existing.cancelled_at) throw new Rejection(`Order ${existing.name} is cancelled and cannot be updated; use a new order_identifier`, existing);
    const hash = inputHash(input, customer.id);
    if (hash === existing.input_hash) return { status: 'COMPLETED', order: existing, errors: [] };
    const quote = input.order_status === 'QUOTE';
    if (quote !== existing.is_quote && !canChangeQuoteFlag(existing.status)) {
      throw new Rejection(`Order ${existing.name} is ${existing.status}; it can no longer switch between QUOTE and TO_PLAN`, existing);
    }
    const tenantId = principal.tenantId;
    const [stops, children] = await Promise.all([repo.findStopKeys(tx.trx, tenantId, existing.id), repo.findChildIds(tx.trx, tenantId, existing.id)]);
    const rows = rowsOf(tenantId, existing.id, planConsignments(input.consignments, { ...children, stops }));
    await repo.replaceChildren(tx.trx, tenantId, existing.id, rows);
    const kept = new Map(stops.map((s) => [s.id, s.status as StopStatus]));
    const order = await repo.updateOrder(tx.trx, tenantId, existing.id, {
      customer_reference_number: input.customer_reference_number ?? null,
      is_quote: quote,
      status: deriveOrderStatus({ quote, cancelled: false, stopStatuses: rows.stops.map((s) => kept.get(s.id) ?? 'TO_PLAN') }),
      customer_entity: JSON.stringify(compact(input.customer ?? { code: customer.code, name: customer.name })),
      header: JSON.stringify(headerOf(input)),
      input_hash: hash,
    });
    return { status: 'COMPLETED', order, errors: [], event: 'order.updated' };
  }

  async function cancel(op: Operation): Promise<Outcome> {
    const { tx, input } = op;
    const existing = await lockAndFind(op);
    if (!existing) throw new Rejection(`No order with order_identifier "${input.order_identifier}" for this customer to cancel`);
    // Cancelling again is a no-op, so a retried DELETE never fails.
    if (existing.cancelled_at) return { status: 'COMPLETED', order: existing, errors: [] };
    if (!canCancel(existing.status)) throw new Rejection(`Order ${existing.name} is ${existing.status} and can no longer be cancelled`, existing);
    return { status: 'COMPLETED', order: await cancelOrderRows(tx, existing), errors: [], event: 'order.cancelled' };
  }

  const operations = { CREATE: existingOrder, UPDATE: update, DELETE: cancel };

  const uploadRow = (principal: Principal, uploadId: string, input: OrderInput, outcome: Outcome) => ({
    tenant_id: principal.tenantId,
    id: uploadId,
    api_client_id: principal.apiClientId,
    uploader_company_id: principal.companyId,
    operation: input.operation,
    order_identifier: input.order_identifier,
    status: outcome.status,
    order_id: outcome.order?.id ?? null,
    errors: JSON.stringify(outcome.errors),
  });

  const recordUpload = (tx: Tx, principal: Principal, uploadId: string, input: OrderInput, outcome: Outcome) =>
    repo.insertUpload(tx.trx, uploadRow(principal, uploadId, input, outcome));

  return async function importOrder(principal: Principal, input: OrderInput): Promise<OrderImport> {
    if (input.operation !== 'DELETE' && input.consignments.length === 0) {
      throw badRequest('An order needs at least one consignment', [detail('at least one consignment is required', 'consignments')]);
    }
    const uploadId = randomUUID();
    let customer: CompanyParty;
    try {
      customer = await resolveCustomer(principal, input.customer);
    } catch (err) {
      // An unknown or ambiguous customer is the upload's fault, reported like any other rejection.
      if (!isAppError(err, 'invalid') || !input.customer) throw err;
      const errors: UploadError[] = [{ error_type: 'USER_INPUT_ERROR', error_message: err.message }];
      const upload = await inTransaction(db, (tx) => recordUpload(tx, principal, uploadId, input, { status: 'ERROR', errors }));
      return uploadOutput(upload, null);
    }
    if (input.operation === 'CREATE') {
      const created = await createAtOnce(principal, input, customer, uploadId);
      if (created) return created;
    }
    return inTransaction(db, async (tx) => {
      let outcome: Outcome;
      try {
        outcome = await operations[input.operation]({ tx, principal, input, customer });
      } catch (err) {
        if (!(err instanceof Rejection)) throw err;
        const errors: UploadError[] = [{ error_type: 'USER_INPUT_ERROR', error_message: err.message }];
        // The rejection is an event only when there is an order to attach it to.
        outcome = { status: 'ERROR', order: err.order, errors, event: err.order ? 'order.import_rejected' : undefined, reason: err.message };
      }
      const upload = await recordUpload(tx, principal, uploadId, input, outcome);
      let order = outcome.order;
      if (order && (outcome.event === 'order.updated' || outcome.event === 'order.cancelled')) await changes.notify(tx, order);
      if (order && outcome.event) {
        const why = outcome.reason ? { operation: input.operation, reason: outcome.reason } : {};
        const { extra } = await statusDocuments.forEvent(tx, order);
        order = await appendOrderEvent(tx, bus, outcome.event, order, { upload_id: uploadId, ...why, ...extra });
      }
      return uploadOutput(upload, order?.name ?? null);
    });
  };
}
