import { Type } from '@sinclair/typebox';
import { declareEvents, Nullable, type PayloadsOf } from '../../platform/events/catalog.js';

const charge = (summary: string) => ({
  entityType: 'charge',
  summary,
  payload: Type.Object({
    charge_id: Type.String(),
    order_id: Type.String(),
    order_name: Nullable(Type.String()),
    approval_status: Nullable(Type.String()),
    /** Approvals and rejections: CUSTOMER, or TENANT_ON_BEHALF_OF_CUSTOMER when the carrier answered for the customer (by phone, by mail). */
    answered_by: Type.Optional(Type.String()),
    answered_by_client_id: Type.Optional(Type.String()),
    /** Approvals and rejections: the reason the customer gave, if any. */
    reason: Type.Optional(Nullable(Type.String())),
  }),
  families: [],
});

const documentPayload = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Nullable(Type.String()),
  status: Type.String(),
  payment_status: Nullable(Type.String()),
});
const billing = <K extends string>(kind: K, title: string) => {
  const at = (what: string, summary: string, families: ReadonlyArray<'accounting_visibility'> = ['accounting_visibility']) => ({
    entityType: kind,
    summary: `${summary.replace('#', title)}`,
    payload: documentPayload,
    families,
  });
  return {
    [`${kind}.drafted`]: at('drafted', 'A # draft was created.'),
    [`${kind}.finalized`]: at('finalized', 'A # was finalized: numbered, with its PDF and UBL files.'),
    [`${kind}.deleted`]: at('deleted', 'A # draft was deleted.', []),
    [`${kind}.posted`]: at('posted', 'A # was posted to the accounting system.'),
    [kind.endsWith('invoice') ? `${kind}.payment_updated` : `${kind}.refund_updated`]: at('paid', "A #'s payment or refund state changed."),
  } as Record<`${K}.${'drafted' | 'finalized' | 'deleted' | 'posted' | 'payment_updated' | 'refund_updated'}`, ReturnType<typeof at>>;
};
const eInvoice = (kind: string, title: string) => ({
  entityType: kind,
  summary: `An e-invoice was received and drafted as a ${title}; \`match_status\` and \`differences\` compare it with the expected purchase.`,
  payload: Type.Object({
    id: Type.String(),
    external_name: Nullable(Type.String()),
    supplier_id: Type.String(),
    match_status: Type.String(),
    differences: Type.Array(Type.Unknown()),
  }),
  families: [],
});

export const accountingEvents = declareEvents('accounting', {
  'order.cost_approval_requested': {
    entityType: 'order',
    summary: "A charge on an order awaits its customer's approval; pushed with the order's current status.",
    payload: Type.Object({
      order_id: Type.String(),
      order_name: Nullable(Type.String()),
      status: Type.String(),
      charge_id: Type.String(),
      code: Type.String(),
      unit_price: Type.String(),
      quantity: Type.String(),
    }),
    families: ['operational_visibility'],
  },
  'charge.added': charge('A charge was added to an order.'),
  'charge.changed': charge('A charge was changed.'),
  'charge.removed': charge('A charge was removed.'),
  'charge.approved': charge('The customer approved a charge, or the tenant did on its behalf (`answered_by`).'),
  'charge.rejected': charge('The customer rejected a charge, or the tenant did on its behalf (`answered_by`).'),
  ...billing('sales_invoice', 'sales invoice'),
  ...billing('sales_credit_note', 'sales credit note'),
  ...billing('purchase_invoice', 'purchase invoice'),
  ...billing('purchase_credit_note', 'purchase credit note'),
  'purchase_invoice.e_invoice_received': eInvoice('purchase_invoice', 'purchase invoice'),
  'purchase_credit_note.e_invoice_received': eInvoice('purchase_credit_note', 'purchase credit note'),
  'sync_task.failed': {
    entityType: 'sync_task',
    summary: 'The accounting package reported that it could not post a document (the task is FAILED until fixed and retried).',
    payload: Type.Object({
      id: Type.String(),
      task_type: Type.String(),
      document_id: Type.String(),
      document_kind: Type.String(),
      document_name: Nullable(Type.String()),
      billing_entity_id: Type.String(),
      failure: Type.Object({ error_type: Type.String(), error_message: Nullable(Type.String()) }),
    }),
    families: [],
  },
});

declare module '../../platform/events/catalog.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface EventPayloads extends PayloadsOf<typeof accountingEvents> {}
}
