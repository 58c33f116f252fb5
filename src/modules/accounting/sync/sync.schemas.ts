import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { FreeObject, Nullable, PageQuery, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { DocumentFile, DocumentFileList, SalesCreditNoteOutput, SalesInvoiceOutput } from '../documents/documents.schemas.js';
import { PurchaseCreditNoteOutput, PurchaseInvoiceOutput } from '../purchase/purchase.schemas.js';

export const TASK_STATUSES = ['TODO', 'COMPLETED', 'FAILED', 'WAITING'] as const;
export const TaskStatus = StringEnum([...TASK_STATUSES], { $id: 'TaskStatus' });
export const TaskType = StringEnum(
  [
    'POST_INVOICE',
    'POST_INVOICE_PURCHASE',
    'POST_CREDIT_NOTE',
    'POST_CREDIT_NOTE_PURCHASE',
    'PAID_INVOICE',
    'PAID_INVOICE_PURCHASE',
    'REFUNDED_CREDIT_NOTE',
    'REFUNDED_CREDIT_NOTE_PURCHASE',
    'DISPATCH',
  ],
  { $id: 'TaskType' },
);
export const ErrorType = StringEnum(['USER_INPUT_ERROR', 'INTERNAL_ERROR', 'NOT_SUPPORTED'], { $id: 'ErrorType' });
export const SubjectType = StringEnum(['SALES_INVOICE', 'SALES_CREDIT_NOTE', 'PURCHASE_INVOICE', 'PURCHASE_CREDIT_NOTE'], { $id: 'SubjectType' });

const taskId = '4c3b2a19-0817-4f6e-9d5c-4b3a29180716';
const invoiceId = '1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d';

const TaskFailure = Type.Object({ error_type: ref(ErrorType), error_message: Type.Optional(Nullable(Str(2000))) }, { $id: 'TaskFailureStatus' });

export const AvailableTask = Type.Object(
  {
    id: Uuid,
    task_type: ref(TaskType),
    status: ref(TaskStatus),
    invoice_id: Nullable(Uuid),
    billing_entity_code: Type.String({ description: 'Waybill: the entity whose books the document goes into.' }),
    subject_type: ref(SubjectType, { description: 'Waybill: the kind of document `invoice_id` names.' }),
    document_name: Nullable(Type.String({ description: 'Waybill: the document’s number (a received invoice’s own).' })),
    failure: Nullable(ref(TaskFailure, { description: 'Waybill: why the accounting package last reported it FAILED; null when it never did.' })),
    queued_at: Type.String({ format: 'date-time', description: 'Waybill: when the task (re)entered the queue; the list’s order.' }),
  },
  { $id: 'AvailableTask' },
);
export type AvailableTask = Static<typeof AvailableTask>;

export const AvailableTasks = Type.Object(
  {
    tasks: Type.Array(ref(AvailableTask)),
    next_cursor: Type.Optional(
      Nullable(
        Type.String({ description: 'Waybill: pass as `cursor` for the next page (also sent as a `Link: <…>; rel="next"` header); null on the last page.' }),
      ),
    ),
  },
  {
    $id: 'AvailableTasks',
    examples: [
      {
        tasks: [
          {
            id: taskId,
            task_type: 'POST_INVOICE',
            status: 'TODO',
            invoice_id: invoiceId,
            billing_entity_code: 'WB-BE',
            subject_type: 'SALES_INVOICE',
            document_name: 'INV-WB-BE-2026-00001',
            failure: null,
            queued_at: '2026-11-30T10:15:00.000Z',
          },
        ],
        next_cursor: null,
      },
    ],
  },
);

export const TaskDetail = Type.Object(
  {
    id: Uuid,
    status: ref(TaskStatus),
    task_type: ref(TaskType),
    invoice_id: Nullable(Uuid),
    execution_metadata: Type.Object({ external_execution: Type.Object({ completed: Type.Boolean() }) }),
    payload: Type.Object({
      subject_id: Uuid,
      subject_type: ref(SubjectType),
      instance: Type.Union([ref(SalesInvoiceOutput), ref(SalesCreditNoteOutput), ref(PurchaseInvoiceOutput), ref(PurchaseCreditNoteOutput)]),
      documents: Type.Array(ref(DocumentFile)),
    }),
    failure: Nullable(ref(TaskFailure)),
  },
  {
    $id: 'TaskDetail',
    examples: [
      {
        id: taskId,
        status: 'TODO',
        task_type: 'POST_INVOICE',
        invoice_id: invoiceId,
        execution_metadata: { external_execution: { completed: false } },
        payload: { subject_id: invoiceId, subject_type: 'SALES_INVOICE', instance: SalesInvoiceOutput.examples[0], documents: DocumentFileList.examples[0] },
        failure: null,
      },
    ],
  },
);
export type TaskDetail = Static<typeof TaskDetail>;

export const TaskUpdateInput = Type.Object(
  { status: StringEnum(['COMPLETED', 'FAILED']), failure: Type.Optional(Nullable(ref(TaskFailure))) },
  {
    $id: 'TaskUpdateInput',
    examples: [{ status: 'FAILED', failure: { error_type: 'USER_INPUT_ERROR', error_message: 'Customer C-ACME is unknown in the ledger' } }],
  },
);
export type TaskUpdateInput = Static<typeof TaskUpdateInput>;

export const TaskUpdate = Type.Object({ status: ref(TaskStatus) }, { $id: 'TaskUpdate', examples: [{ status: 'COMPLETED' }] });

/** A page of the queue holds at most this many tasks (the contract's list had no paging; this was its cap). */
export const MAX_TASKS_PER_PAGE = 1000;

const TaskPageQuery = {
  cursor: PageQuery.cursor,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TASKS_PER_PAGE, default: MAX_TASKS_PER_PAGE, description: 'Waybill: tasks per page.' })),
};
/** The generic task list takes only the page parameters; the accounting one also a billing entity. */
export const TaskPageOnlyQuery = Type.Object(TaskPageQuery, { additionalProperties: false });
export const TaskListQuery = Type.Object(
  {
    billing_entity_code: Type.Optional(Str(50)),
    status: Type.Optional(
      ref(TaskStatus, { description: 'Waybill: the tasks in this state (FAILED ones to fix and retry, COMPLETED ones done); TODO when omitted.' }),
    ),
    ...TaskPageQuery,
  },
  { additionalProperties: false },
);
export type TaskListQuery = Static<typeof TaskListQuery>;

const invoiceMatch = Type.Object({
  sales_invoice: Type.Object({ name: Type.Optional(Nullable(Type.Object({ matches_any: Type.Array(Str(100), { minItems: 1, maxItems: 50 }) }))) }),
});

export const BillingDocumentUpdatePayload = Type.Object(
  {
    updates: Type.Array(
      Type.Object({
        sales_invoice: Type.Optional(
          Nullable(
            Type.Object({
              match: Type.Object({ matches_all: Type.Array(invoiceMatch, { minItems: 1, maxItems: 10 }) }),
              id: Type.Optional(Nullable(Str(100))),
              custom_fields: Type.Optional(Nullable(FreeObject())),
            }),
          ),
        ),
      }),
      { maxItems: 500 },
    ),
  },
  {
    $id: 'BillingDocumentUpdatePayload',
    examples: [
      {
        updates: [
          {
            sales_invoice: {
              match: { matches_all: [{ sales_invoice: { name: { matches_any: ['INV-WB-BE-2026-00001'] } } }] },
              custom_fields: { ledger_reference: 'JNL-2026-1187' },
            },
          },
        ],
      },
    ],
  },
);
export type BillingDocumentUpdatePayload = Static<typeof BillingDocumentUpdatePayload>;

export const BillingDocumentUpdateResponse = Type.Object(
  {
    updated: Type.Array(Uuid, { description: 'Waybill: the invoices that were changed.' }),
    errors: Type.Array(Type.Object({ error_type: ref(ErrorType), error_message: Nullable(Type.String()) })),
  },
  { $id: 'BillingDocumentUpdateResponse', examples: [{ updated: [invoiceId], errors: [] }] },
);

export const taskSchemas = [
  TaskStatus,
  TaskType,
  ErrorType,
  SubjectType,
  AvailableTask,
  AvailableTasks,
  TaskFailure,
  TaskDetail,
  TaskUpdateInput,
  TaskUpdate,
  BillingDocumentUpdatePayload,
  BillingDocumentUpdateResponse,
];
