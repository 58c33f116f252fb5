import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/database.js';
import { inTransaction, type Tx } from '../../../platform/db/tx.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { conflict, detail, notFound } from '../../../platform/http/errors.js';
import { cursorField, paginate } from '../../../platform/http/pagination.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { Principal } from '../../../platform/http/principal.js';
import type { DocumentKind } from '../documents/documents.tables.js';
import * as billingRepo from '../documents/documents.repo.js';
import type { DocumentRow } from '../documents/documents.repo.js';
import { documentEvent, type BillingService } from '../documents/documents.service.js';
import { issuedName } from '../documents/documents.output.js';
import type { PurchaseDocumentOutput } from '../purchase/purchase.output.js';
import {
  MAX_TASKS_PER_PAGE,
  TASK_STATUSES,
  type BillingDocumentUpdatePayload,
  type TaskDetail,
  type TaskListQuery,
  type TaskUpdateInput,
} from './sync.schemas.js';
import * as repo from './sync.repo.js';
import type { TaskRow } from './sync.repo.js';
import type { ReferenceService } from '../reference/reference.service.js';

/** The sync task that asks the accounting package to post a finalized document. */
export const POST_TASK: Record<DocumentKind, TaskRow['task_type']> = {
  SALES_INVOICE: 'POST_INVOICE',
  SALES_CREDIT_NOTE: 'POST_CREDIT_NOTE',
  PURCHASE_INVOICE: 'POST_INVOICE_PURCHASE',
  PURCHASE_CREDIT_NOTE: 'POST_CREDIT_NOTE_PURCHASE',
};

/** Queues the task that asks the accounting package to post a document just finalized, in its transaction (the shared core's `BillingHooks`). */
export async function queuePostTask(tx: Tx, document: DocumentRow, billingEntityId: string) {
  await repo.insertTask(tx.trx, {
    tenant_id: document.tenant_id,
    id: randomUUID(),
    task_type: POST_TASK[document.kind],
    status: 'TODO',
    document_id: document.id,
    billing_entity_id: billingEntityId,
  });
}

/** The other way round; a finalized document is never deleted, so this only backs up its own row. */
const KIND_OF_TASK: Record<string, DocumentKind> = Object.fromEntries(Object.entries(POST_TASK).map(([kind, task]) => [task, kind as DocumentKind]));

export type TasksService = ReturnType<typeof createTasksService>;

/**
 * The work queue of an accounting package: a task per finalized document to post. The package
 * lists open tasks, reads each one's document, posts it, and reports COMPLETED (the document is
 * then POSTED) or FAILED with the reason; a tenant can put a failed task back in the queue.
 */
export function createTasksService(deps: { db: Db; bus: EventBus; billing: BillingService<PurchaseDocumentOutput>; reference: ReferenceService }) {
  const { db, bus, billing, reference } = deps;

  /** Tenant-only: the failure reason may name ledger accounts or customers of others. */
  async function failedEvent(tx: Tx, task: TaskRow, failure: { error_type: string; error_message: string | null }) {
    const document = await billingRepo.findDocument(tx.trx, task.tenant_id, task.document_id);
    await appendEvent(tx, bus, {
      tenantId: task.tenant_id,
      type: 'sync_task.failed',
      entityType: 'sync_task',
      entityId: task.id,
      payload: {
        id: task.id,
        task_type: task.task_type,
        document_id: task.document_id,
        document_kind: document?.kind ?? '',
        document_name: document?.name ?? null,
        billing_entity_id: task.billing_entity_id,
        failure,
      },
    });
  }

  async function find(principal: Principal, id: string): Promise<TaskRow> {
    const row = await repo.findTask(db, principal.tenantId, id);
    if (!row) throw notFound('Task');
    return row;
  }

  return {
    countFailed: (tenantId: string) => repo.countFailedTasks(db, tenantId),

    /**
     * One page of the open tasks in queue order. The contract's answer is `{tasks}` alone; the
     * page's continuation is added beside it (`next_cursor`, and a Link header in the routes), so a
     * client that knows only the contract still reads the first page unchanged.
     */
    async list(principal: Principal, query: TaskListQuery) {
      const given = { billing_entity_code: query.billing_entity_code, status: query.status };
      const entities = await reference.entityMap(principal.tenantId);
      const page = await paginate({
        query,
        filters: given,
        fields: { billing_entity_code: cursorField.text(50), status: cursorField.oneOf(TASK_STATUSES) },
        defaultLimit: MAX_TASKS_PER_PAGE,
        // A cursor alone carries the filters of the list it continues (paginate hands them over).
        fetch: async ({ filters, after, limit }) => {
          const entity = filters.billing_entity_code ? [...entities.values()].find((e) => e.code === filters.billing_entity_code) : undefined;
          if (filters.billing_entity_code && !entity) return [];
          return repo.listTasks(db, { tenantId: principal.tenantId, status: filters.status ?? 'TODO', billingEntityId: entity?.id, after, limit });
        },
        key: (t) => ({ ts: t.queued_at, id: t.id }),
      });
      // Each task names its document (kind and number) so a person can tell the tasks apart.
      const documents = new Map(
        (
          await billingRepo.findDocumentsByIds(
            db,
            principal.tenantId,
            page.rows.map((t) => t.document_id),
          )
        ).map((d) => [d.id, d]),
      );
      return {
        tasks: page.rows.map((t) => {
          const document = documents.get(t.document_id);
          return {
            id: t.id,
            task_type: t.task_type,
            status: t.status,
            invoice_id: t.document_id,
            billing_entity_code: entities.get(t.billing_entity_id)?.code ?? '',
            subject_type: document?.kind ?? KIND_OF_TASK[t.task_type] ?? 'SALES_INVOICE',
            document_name: document ? issuedName(document) : null,
            failure: t.failure,
            queued_at: t.queued_at.toISOString(),
          };
        }),
        next_cursor: page.next_cursor,
      };
    },

    async get(principal: Principal, id: string): Promise<TaskDetail> {
      const task = await find(principal, id);
      const document = await billingRepo.findDocument(db, principal.tenantId, task.document_id);
      if (!document) throw notFound('Task');
      return {
        id: task.id,
        status: task.status,
        task_type: task.task_type,
        invoice_id: task.document_id,
        execution_metadata: { external_execution: { completed: task.status === 'COMPLETED' } },
        payload: {
          subject_id: document.id,
          subject_type: document.kind,
          instance: await billing.output(principal.tenantId, document),
          documents: await billing.files(principal, document.kind, document.id),
        },
        failure: task.failure,
      };
    },

    /**
     * COMPLETED posts the document (INVOICED → POSTED, an event); FAILED keeps the reason. A
     * COMPLETED task is done for good: COMPLETED again is a connector's retry (its first answer was
     * lost) and answers the same, changing nothing; FAILED on it is a 409. A failure block sent
     * with COMPLETED is ignored, as some clients send one anyway.
     */
    async updateStatus(principal: Principal, id: string, input: TaskUpdateInput) {
      await inTransaction(db, async (tx) => {
        const task = await repo.findTask(tx.trx, principal.tenantId, id, true);
        if (!task) throw notFound('Task');
        if (task.status === 'COMPLETED' && input.status === 'COMPLETED') return;
        if (task.status === 'COMPLETED') throw conflict('The task is completed already', [detail('completed', 'status')]);
        if (input.status === 'FAILED') {
          const failure = { error_message: null, ...(input.failure ?? { error_type: 'INTERNAL_ERROR' }) };
          await repo.updateTask(tx.trx, principal.tenantId, id, { status: 'FAILED', failure: JSON.stringify(failure) });
          // A repeated report of the same failure is no news; a new failure (or a new reason) is.
          const before = task.failure as { error_type?: string; error_message?: string | null } | null;
          const same = task.status === 'FAILED' && before?.error_type === failure.error_type && (before.error_message ?? null) === failure.error_message;
          if (!same) await failedEvent(tx, task, failure);
          return;
        }
        await repo.updateTask(tx.trx, principal.tenantId, id, { status: 'COMPLETED' });
        const document = await billingRepo.findDocument(tx.trx, principal.tenantId, task.document_id, undefined, true);
        if (document && document.status === 'INVOICED') {
          const posted = await billingRepo.updateDocument(tx.trx, principal.tenantId, document.id, { status: 'POSTED' });
          await documentEvent(tx, bus, posted, 'posted');
        }
      });
      return { status: input.status };
    },

    /** A FAILED task back to TODO, for another try once the cause is fixed. */
    async retry(principal: Principal, id: string) {
      await inTransaction(db, async (tx) => {
        const task = await repo.findTask(tx.trx, principal.tenantId, id, true);
        if (!task) throw notFound('Task');
        if (task.status !== 'FAILED') throw conflict('Only a FAILED task can be retried', [detail(`task is ${task.status}`, 'status')]);
        await repo.requeueTask(tx.trx, principal.tenantId, id);
      });
      return { status: 'TODO' as const };
    },

    /**
     * The contract's write-back webhook: custom fields (a ledger reference) on sales invoices
     * matched by name. Every update is applied on its own; one that matches no single invoice is
     * listed in `errors` and the others still apply.
     */
    async billingDocumentUpdate(principal: Principal, input: BillingDocumentUpdatePayload) {
      const updated: string[] = [];
      const errors: Array<{ error_type: 'USER_INPUT_ERROR'; error_message: string }> = [];
      for (const [i, update] of input.updates.entries()) {
        const invoice = update.sales_invoice;
        if (!invoice) continue;
        const names = invoice.match.matches_all.flatMap((m) => m.sales_invoice.name?.matches_any ?? []);
        const found = await billingRepo.findDocumentsByName(db, principal.tenantId, 'SALES_INVOICE', names);
        if (found.length !== 1) {
          errors.push({
            error_type: 'USER_INPUT_ERROR',
            error_message: `updates[${i}]: ${found.length ? 'several invoices match' : 'no invoice matches'} ${names.join(', ')}`,
          });
          continue;
        }
        const target = found[0] as billingRepo.DocumentRow;
        const customFields = { ...(invoice.custom_fields ?? {}), ...(invoice.id ? { external_id: invoice.id } : {}) };
        await billing.patchCustomFields(principal, 'SALES_INVOICE', target.id, { custom_fields: customFields });
        updated.push(target.id);
      }
      return { updated, errors };
    },
  };
}
