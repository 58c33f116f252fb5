import { AppError } from '../../platform/http/errors.js';
import type { EventRow } from '../events/events.service.js';
import { eventToWire } from '../events/events.service.js';

/**
 * Payload families: each turns a domain event into the message one kind of receiver expects, or
 * null when the event means nothing to that kind of receiver. Adding a family (subcontractor
 * dispatch, master data, accounting) is adding a builder here and its name to the list.
 */
export const PAYLOAD_FAMILIES = ['operational_visibility', 'accounting_visibility', 'events'] as const;
export type PayloadFamily = (typeof PAYLOAD_FAMILIES)[number];

/** Read models other modules provide for the snapshots the contract's payloads carry. */
export interface VisibilitySources {
  /** The contract's `VisibilityOrder` for an order; may throw (or give undefined) when it no longer exists. */
  visibilityOrder(tenantId: string, orderId: string): Promise<object | undefined>;
}

export type PayloadBuilder = (event: EventRow) => Promise<Record<string, unknown> | null>;

/** Order events and the contract's `VisibilityOrderStatus` each announces. */
const ORDER_EVENT_STATUS: Record<string, string> = {
  'order.accepted': 'ACCEPTED',
  'order.import_rejected': 'REJECTED',
  'order.cancelled': 'CANCELLED',
  'order.completed': 'COMPLETED',
};

const DOCUMENT_TYPES = new Set([
  'CONSIGNEE_SIGNATURE', 'CUSTOMER_PAPERWORK', 'PHOTO_OF_GOODS_DELIVERY', 'PROOF_OF_DELIVERY',
  'PROOF_OF_DELIVERY_SIGNED', 'PALLET_LABEL', 'PALLET_LABEL_EXTERNAL', 'TEMPERATURE_REPORT',
]);

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

function operationalVisibility(sources: Partial<VisibilitySources>): PayloadBuilder {
  /** The order as it is now (fan-out runs right after the commit), or null when it is gone. */
  const snapshot = async (event: EventRow, orderId: string | undefined): Promise<Record<string, unknown> | null> => {
    if (!orderId || !sources.visibilityOrder) return null;
    try {
      return ((await sources.visibilityOrder(event.tenant_id, orderId)) as Record<string, unknown> | undefined) ?? null;
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 404) return null;
      throw err;
    }
  };

  return async (event) => {
    const timestamp = event.occurred_at.toISOString();
    if (event.entity_type === 'order' && event.type.startsWith('order.')) {
      const order = await snapshot(event, event.entity_id);
      // The event's own status first: the snapshot is read at fan-out and may already be newer.
      const status = ORDER_EVENT_STATUS[event.type] ?? str(event.payload.status) ?? str(order?.status);
      if (!status) return null;
      // A charge awaiting the customer's approval is announced with the order's current status.
      const updateType = event.type === 'order.cost_approval_requested' ? 'COST_APPROVAL_REQUEST' : 'STATUS';
      const update = { type: 'Order', id: order ? event.entity_id : null, update_type: updateType, status };
      return { events: [{ timestamp, update }], order, trip: null };
    }
    if (event.type === 'document.created') {
      // Only documents that belong to an order and have a contract document type have a visibility form.
      const p = event.payload;
      const documentType = str(p.document_type) ?? str(p.type);
      const orderId = str(p.order_id);
      const downloadUrl = str(p.download_url);
      if (!documentType || !DOCUMENT_TYPES.has(documentType) || !orderId || !downloadUrl) return null;
      const order = await snapshot(event, orderId);
      const reference = str(order?.customer_reference_number) ?? str(p.customer_reference_number);
      if (!reference) return null;
      const document = {
        name: str(p.name) ?? str(p.filename) ?? 'document',
        document_type: documentType,
        document_content: { download_url: downloadUrl },
        subject: { customer_reference_number: reference },
      };
      return { events: [{ timestamp, update: { type: 'Document', id: event.entity_id, status: 'CREATED', document } }], order, trip: null };
    }
    return null;
  };
}

/** Billing documents' event entity types and the contract's update `type` for each. */
const ACCOUNTING_TYPES: Record<string, string> = {
  sales_invoice: 'SalesInvoice',
  sales_credit_note: 'SalesCreditNote',
  purchase_invoice: 'PurchaseInvoice',
  purchase_credit_note: 'PurchaseCreditNote',
};

/**
 * The contract's `AccountingVisibilityUpdate`: a document's id and status at each transition
 * (drafted, finalized, posted, paid or refunded); the receiver GETs the document for the rest.
 * The payment or refund state rides along as an additive field.
 */
const accountingVisibility: PayloadBuilder = async (event) => {
  const type = ACCOUNTING_TYPES[event.entity_type];
  const status = str(event.payload.status);
  if (!type || !status || event.type.endsWith('.deleted')) return null;
  const update = { type, id: event.entity_id, status, payment_status: str(event.payload.payment_status) ?? null };
  return { timestamp: event.occurred_at.toISOString(), updates: [update] };
};

/** Waybill's own family: the event exactly as GET /v1/events shows it. */
const rawEvents: PayloadBuilder = async (event) => eventToWire(event);

export function payloadBuilders(sources: Partial<VisibilitySources>): Record<PayloadFamily, PayloadBuilder> {
  return { operational_visibility: operationalVisibility(sources), accounting_visibility: accountingVisibility, events: rawEvents };
}

/** What POST …/test sends: a message of the endpoint's first family that a receiver can parse. */
export function testPayload(family: PayloadFamily, now: Date): Record<string, unknown> {
  if (family === 'operational_visibility') {
    const update = { type: 'Order', id: null, update_type: 'CUSTOM', custom_event_code: 'WAYBILL_TEST', status: null };
    return { events: [{ timestamp: now.toISOString(), update }], order: null, trip: null };
  }
  if (family === 'accounting_visibility') return { timestamp: now.toISOString(), updates: [] };
  return { type: 'webhook.test', occurred_at: now.toISOString(), payload: { message: 'Test message from Waybill' } };
}
