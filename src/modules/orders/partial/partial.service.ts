import { createHash } from 'node:crypto';
import { onlyOne } from '../../../platform/narrow.js';
import type { CompaniesService } from '../../companies/index.js';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { canCancel, deriveOrderStatus, type StopStatus } from '../status/status.policy.js';
import { appendOrderEvent, cancelOrderRows, type OrderChangeHooks } from '../orders.events.js';
import { compact, rowsOf, type ConsignmentPlan } from '../orders.mapping.js';
import { plansOf } from '../views/views.output.js';
import { applyConsignmentUpdate, UpdateFailure, type DocumentAnswers } from './partial.input.js';
import type { OrderUpdatePayload, PartialOrderUpdate, PartialOrderUpdateResponse } from './partial.schemas.js';
import * as repo from '../orders.repo.js';
import type { OrderRow } from '../orders.repo.js';
import type { StoredHeader } from '../orders.tables.js';
import { scopeOf } from '../orders.policy.js';
import { DocumentAnswerError, documentSources, type AttachToOrderInput } from '../../documents/index.js';
import { isUuid } from '../../../platform/http/schemas.js';
import type { StatusDocuments } from '../status/status.service.js';

/**
 * `POST /v1/webhook/partial-order-update`. Each update runs in its own transaction: it finds
 * exactly one order, applies every nested change in memory, then writes the result at once. Any
 * failure (no or several matches, an impossible change, a bad document) rolls that update back
 * entirely and is reported in `errors`; the other updates of the batch still apply.
 */

/** Attaches documents to an order: the documents module's `attachToOrder`. */
export interface DocumentAttacher {
  attachToOrder(tx: Tx, input: AttachToOrderInput): Promise<{ documentId: string }>;
}

/** A fingerprint of what a partial update can change, to tell a real change from a no-op. */
function stateHash(header: unknown, reference: string | null, plans: ConsignmentPlan[]): string {
  const state = { header: compact(header), reference, plans: plans.map((p) => ({ ...p, input: compact(p.input) })) };
  return createHash('sha256').update(JSON.stringify(state)).digest('base64url');
}

export function createPartialUpdater(deps: {
  db: Db;
  bus: EventBus;
  companies: CompaniesService;
  documents: DocumentAttacher;
  changes: OrderChangeHooks;
  statusDocuments: StatusDocuments;
}) {
  const { db, bus, companies, documents, changes, statusDocuments } = deps;

  /** Company ids a `company` match names: by code, and by exact (case-insensitive) name. */
  async function companyIds(tenantId: string, match: { name?: { matches_any: string[] } | null; code?: { matches_any: string[] } | null }) {
    const lists: string[][] = [];
    if (match.code)
      lists.push((await Promise.all(match.code.matches_any.map((c) => companies.findCompanyId(tenantId, c)))).filter((id): id is string => Boolean(id)));
    if (match.name) {
      const found = await Promise.all(
        match.name.matches_any.map((name) =>
          companies.resolveByCodeOrName(tenantId, { name }).then(
            (c) => c.id,
            () => undefined,
          ),
        ),
      );
      lists.push(found.filter((id): id is string => Boolean(id)));
    }
    return lists;
  }

  /**
   * Company lookups happen before the update's transaction: the companies service reads through
   * the pool, which on PGlite (one session) would wait forever behind an open transaction.
   */
  async function prepare(principal: Principal, update: PartialOrderUpdate) {
    const customerIds: string[][] = [];
    for (const entry of update.match?.matches_all ?? []) {
      if (entry.company) customerIds.push(...(await companyIds(principal.tenantId, entry.company)));
    }
    const customer = update.update?.data?.customer;
    let newCustomerId: string | null | undefined;
    if (customer?.row_id) newCustomerId = isUuid(customer.row_id) ? ((await companies.findById(principal.tenantId, customer.row_id))?.id ?? null) : null;
    else if (customer?.code || customer?.name)
      newCustomerId = await companies.resolveByCodeOrName(principal.tenantId, customer).then(
        (c) => c.id,
        () => null,
      );
    return { customerIds, newCustomerId };
  }

  async function findTarget(tx: Tx, principal: Principal, update: PartialOrderUpdate, customerIds: string[][]): Promise<OrderRow> {
    const lists = { ids: [] as string[][], names: [] as string[][], references: [] as string[][], customerIds };
    if (update.id) lists.ids.push([update.id]);
    for (const entry of update.match?.matches_all ?? []) {
      if (entry.order?.id) lists.ids.push(entry.order.id.matches_any.filter((id) => isUuid(id)));
      if (entry.order?.name) lists.names.push(entry.order.name.matches_any);
      if (entry.order?.customer_reference_number) lists.references.push(entry.order.customer_reference_number.matches_any);
    }
    const all = [...lists.ids, ...lists.names, ...lists.references, ...lists.customerIds];
    if (!all.length) throw new UpdateFailure('Name the order to update: match.matches_all with its id, name or customer_reference_number');
    const described = JSON.stringify(update.match ?? { id: update.id }).slice(0, 300);
    const found = all.some((l) => l.length === 0) ? [] : await repo.findOrdersMatching(tx.trx, principal.tenantId, scopeOf(principal), lists);
    const only = onlyOne(found);
    if (!only) {
      throw new UpdateFailure(found.length ? `Several orders match ${described}; nothing changed` : `No order matches ${described}`);
    }
    const locked = await repo.findOrder(tx.trx, principal.tenantId, only.id, scopeOf(principal), true);
    if (!locked) throw new UpdateFailure(`No order matches ${described}`);
    if (locked.cancelled_at) throw new UpdateFailure(`Order ${locked.name} is cancelled and cannot be changed`);
    return locked;
  }

  async function attach(tx: Tx, principal: Principal, order: OrderRow, answers: DocumentAnswers[]): Promise<number> {
    if (!answers.length) return 0;
    let attached = 0;
    for (const { subjectType, subjectId, answers: byPath } of answers) {
      for (const [path, answer] of Object.entries(byPath)) {
        for (const { type, source } of documentSources(path, answer)) {
          await documents.attachToOrder(tx, {
            tenantId: order.tenant_id,
            orderId: order.id,
            companyIds: [order.customer_company_id],
            subjectType,
            subjectId,
            type,
            source,
            uploadedBy: principal.apiClientId,
            attachedByCompanyId: principal.companyId,
          });
          attached += 1;
        }
      }
    }
    return attached;
  }

  /** Applies one update in its own transaction; returns the order and whether anything changed. */
  async function applyOne(principal: Principal, update: PartialOrderUpdate): Promise<{ order: OrderRow; changed: boolean }> {
    const { customerIds, newCustomerId } = await prepare(principal, update);
    return inTransaction(db, async (tx) => {
      const target = await findTarget(tx, principal, update, customerIds);
      if (update.update?.operation === 'DELETE') {
        if (update.consignment?.updates?.length) throw new UpdateFailure('A cancelled order cannot also have consignment updates');
        if (!canCancel(target.status)) throw new UpdateFailure(`Order ${target.name} is ${target.status} and can no longer be cancelled`);
        const order = await cancelOrderRows(tx, target);
        await attach(tx, principal, order, update.question_answers ? [{ subjectType: 'ORDER', subjectId: order.id, answers: update.question_answers }] : []);
        await changes.notify(tx, order);
        const { extra } = await statusDocuments.forEvent(tx, order);
        await appendOrderEvent(tx, bus, 'order.cancelled', order, { source: 'partial_update', ...extra });
        return { order, changed: true };
      }
      const aggregate = await repo.loadOrderAggregate(tx.trx, target.tenant_id, target.id, { kind: 'tenant' });
      if (!aggregate) throw new UpdateFailure('The order disappeared while it was being updated');
      const header: StoredHeader = { ...aggregate.header };
      let reference = aggregate.customer_reference_number;
      const data = update.update?.data;
      if (data) {
        const { customer: _customer, customer_reference_number: newReference, custom_fields: customFields, ...fields } = data;
        if (newCustomerId !== undefined && newCustomerId !== target.customer_company_id) {
          throw new UpdateFailure('Moving an order to another customer is not supported; cancel it and create it for the new customer', 'NOT_SUPPORTED');
        }
        Object.assign(header, compact(fields));
        if (customFields) header.custom_fields = { ...header.custom_fields, ...customFields };
        if (newReference !== undefined) reference = newReference;
      }
      const plans = plansOf(aggregate);
      const before = stateHash(aggregate.header, aggregate.customer_reference_number, plans);
      const answers: DocumentAnswers[] = update.question_answers ? [{ subjectType: 'ORDER', subjectId: target.id, answers: update.question_answers }] : [];
      for (const consignmentUpdate of update.consignment?.updates ?? []) applyConsignmentUpdate(plans, consignmentUpdate, answers);
      if (!plans.length) throw new UpdateFailure('An order keeps at least one consignment; cancel the order instead');
      let order = target;
      const after = stateHash(header, reference, plans);
      if (after !== before) {
        const rows = rowsOf(target.tenant_id, target.id, plans);
        await repo.replaceChildren(tx.trx, target.tenant_id, target.id, rows);
        const kept = new Map(aggregate.stops.map((s) => [s.id, s.status as StopStatus]));
        order = await repo.updateOrder(tx.trx, target.tenant_id, target.id, {
          header: JSON.stringify(header),
          customer_reference_number: reference,
          status: deriveOrderStatus({ quote: target.is_quote, cancelled: false, stopStatuses: rows.stops.map((s) => kept.get(s.id) ?? 'TO_PLAN') }),
          // Any later full UPDATE differs from this state, so it must not be taken for a repeat.
          input_hash: after,
        });
      }
      const attached = await attach(tx, principal, order, answers);
      // Last, so the tenant's event counter is locked only until the commit right after.
      if (after !== before) {
        await changes.notify(tx, order);
        const { extra } = await statusDocuments.forEvent(tx, order);
        await appendOrderEvent(tx, bus, 'order.updated', order, { source: 'partial_update', ...extra });
      }
      return { order, changed: after !== before || attached > 0 };
    });
  }

  return async function partialUpdate(principal: Principal, payload: OrderUpdatePayload): Promise<PartialOrderUpdateResponse> {
    const response: PartialOrderUpdateResponse = { errors: [], results: [] };
    for (const [index, update] of payload.updates.entries()) {
      try {
        const { order, changed } = await applyOne(principal, update);
        response.results.push({ index, outcome: changed ? 'UPDATED' : 'UNCHANGED', order_id: order.id, order_name: order.name });
      } catch (err) {
        // Rule violations and client errors raised by other modules (an unknown upload_id) are this update's failure.
        const known =
          err instanceof UpdateFailure || err instanceof DocumentAnswerError
            ? err
            : err instanceof AppError && err.statusCode < 500
              ? new UpdateFailure(err.message)
              : undefined;
        if (!known) throw err;
        response.errors.push({ error_type: known.errorType, error_message: `updates[${index}]: ${known.message}` });
        response.results.push({ index, outcome: 'ERROR', order_id: null, order_name: null });
      }
    }
    return response;
  };
}
