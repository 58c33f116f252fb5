import { isEventOf } from '../../../platform/events/catalog.js';
import { isAppError } from '../../../platform/http/errors.js';
import { isRecord, recordOr, recordsOf } from '../../../platform/narrow.js';
import { type EventRow, eventToWire, MASTER_DATA_ENTITIES } from '../../events/index.js';

/**
 * Payload families: each turns a domain event into the message one kind of receiver expects, or
 * null when the event means nothing to that kind of receiver. Adding a family (subcontractor
 * dispatch, master data, accounting) is adding a builder here and its name to the list.
 */
export const PAYLOAD_FAMILIES = [
  'operational_visibility',
  'accounting_visibility',
  'events',
  'master_data',
  'subcontractor_dispatch',
  'fleet_dispatch',
  'location_booking',
  'intermodal_booking',
] as const;
export type PayloadFamily = (typeof PAYLOAD_FAMILIES)[number];

/**
 * A receiver's 2xx answer to a message of a family whose answers mean something (a subcontractor's
 * `SubcontractorDispatchResponse`): the module that sent the message records it.
 */
export type AnswerHandler = (answer: { tenantId: string; sent: string; body: string }) => Promise<void>;

/** Read models other modules provide for the snapshots the contract's payloads carry. */
export interface VisibilitySources {
  /** The contract's `VisibilityOrder` for an order; may throw (or give undefined) when it no longer exists. */
  visibilityOrder(tenantId: string, orderId: string): Promise<object | undefined>;
}

export type PayloadBuilder = (event: EventRow) => Promise<Record<string, unknown> | null>;

/** How a push to a company's endpoint is cut down for that company (a subcontractor), or undefined when it sees it whole. */
export type EndpointView = (tenantId: string, companyId: string) => Promise<(<T>(payload: T) => T) | undefined>;

/** The builders of each family, and the view each company-bound endpoint gets of what they build. */
export type PayloadBuilders = Record<PayloadFamily, PayloadBuilder> & { viewFor?: EndpointView };

/** Order events and the contract's `VisibilityOrderStatus` each announces. */
const ORDER_EVENT_STATUS: Record<string, string> = {
  'order.accepted': 'ACCEPTED',
  'order.import_rejected': 'REJECTED',
  'order.cancelled': 'CANCELLED',
  'order.completed': 'COMPLETED',
};

const DOCUMENT_TYPES = new Set([
  'CONSIGNEE_SIGNATURE',
  'CUSTOMER_PAPERWORK',
  'PHOTO_OF_GOODS_DELIVERY',
  'PROOF_OF_DELIVERY',
  'PROOF_OF_DELIVERY_SIGNED',
  'PALLET_LABEL',
  'PALLET_LABEL_EXTERNAL',
  'TEMPERATURE_REPORT',
]);

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

function operationalVisibility(sources: Partial<VisibilitySources>): PayloadBuilder {
  /**
   * The order as it is now, or null when it is gone: only for events written without a snapshot of
   * their moment (charge approvals, events logged before orders stored one).
   */
  const snapshot = async (event: EventRow, orderId: string | undefined): Promise<Record<string, unknown> | null> => {
    if (!orderId || !sources.visibilityOrder) return null;
    try {
      return recordOr(await sources.visibilityOrder(event.tenant_id, orderId)) ?? null;
    } catch (err) {
      if (isAppError(err, 'not_found')) return null;
      throw err;
    }
  };

  return async (event) => {
    const timestamp = event.occurred_at.toISOString();
    // Order, stop and document events carry the order's snapshot of their own moment, written with the change.
    const stored = recordOr(event.payload.order_snapshot);
    if (event.type.startsWith('stop.')) {
      const stopId = str(event.payload.stop_id);
      const stop = recordsOf(stored?.stops).find((s) => s.id === stopId);
      if (!stored || !stop) return null;
      const update = event.type === 'stop.eta_changed' ? { type: 'Eta', id: stopId, stops: [stop] } : { type: 'Stop', id: stopId, stop };
      return { events: [{ timestamp, update }], order: stored, trip: null };
    }
    if (event.type === 'trip.visibility') {
      const update = { type: 'Trip', id: event.entity_id, status: str(event.payload.status) };
      return { events: [{ timestamp, update }], order: null, trip: event.payload.trip_snapshot ?? null };
    }
    if (isEventOf(event, 'trip.resource_position')) {
      // The contract's Resource update, stamped with the time of the position; the position itself is Waybill's addition.
      const p = event.payload;
      const update = { type: 'Resource', id: str(p.resource.id) ?? null, resource: p.resource, custom_fields: null, position: p.position };
      return { events: [{ timestamp: str(p.recorded_at) ?? timestamp, update }], order: null, trip: p.trip_snapshot ?? null };
    }
    if (event.entity_type === 'order' && event.type.startsWith('order.')) {
      const order = stored ?? (await snapshot(event, event.entity_id));
      // The event's own status first: a snapshot read at fan-out (events without one) may be newer.
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
      const order = stored ?? (await snapshot(event, orderId));
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

/**
 * Dispatch messages (`SubcontractorDispatch`, `FleetDispatch`) are built by the trips module in the
 * transaction of the change and stored on the event whole; this family only picks the executor's.
 */
const dispatchFamily =
  (executor: 'SUBCONTRACTOR' | 'FLEET'): PayloadBuilder =>
  async (event) => {
    if (event.entity_type !== 'trip' || event.payload.executor !== executor) return null;
    return recordOr(event.payload.message) ?? null;
  };

/**
 * Booking messages (`LocationDispatchOutput`, `IntermodalBookingsPushPayload`) are built by the
 * trips module in the transaction of the booking's update, from the output its GET shows, and
 * stored on the event whole; this family only picks the kind its receivers take.
 */
const bookingFamily =
  (kind: 'LOCATION' | 'INTERMODAL'): PayloadBuilder =>
  async (event) => {
    if (!isEventOf(event, 'trip.booking_updated') || event.payload.kind !== kind) return null;
    return recordOr(event.payload.message) ?? null;
  };

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

/**
 * Waybill's master-data family: `{entity, operation, id, code | external_id, version, record}`
 * for every change to a company, contact, resource or unavailability period, whoever made it. The
 * message was written with the change (see `events/master-data/master-data.events.ts`): the record is the state right
 * after that change, so messages applied in order (per entity they are delivered in order) leave a
 * receiver with the current state.
 */
const masterData: PayloadBuilder = async (event) => {
  if (!(MASTER_DATA_ENTITIES as readonly string[]).includes(event.entity_type) || !('record' in event.payload)) return null;
  return { ...event.payload, event_id: event.id, occurred_at: event.occurred_at.toISOString() };
};

export function payloadBuilders(sources: Partial<VisibilitySources>, options: { viewFor?: EndpointView; publicBaseUrl?: string } = {}): PayloadBuilders {
  const families: Record<PayloadFamily, PayloadBuilder> = {
    operational_visibility: operationalVisibility(sources),
    accounting_visibility: accountingVisibility,
    events: rawEvents,
    master_data: masterData,
    subcontractor_dispatch: dispatchFamily('SUBCONTRACTOR'),
    fleet_dispatch: dispatchFamily('FLEET'),
    location_booking: bookingFamily('LOCATION'),
    intermodal_booking: bookingFamily('INTERMODAL'),
  };
  const { publicBaseUrl } = options;
  if (publicBaseUrl) {
    for (const family of PAYLOAD_FAMILIES) {
      const build = families[family];
      families[family] = async (event) => {
        const message = await build(event);
        return message && absoluteDownloadUrlsIn(message, publicBaseUrl);
      };
    }
  }
  return { ...families, viewFor: options.viewFor };
}

/** A receiver cannot guess where Waybill lives: every `download_url` path becomes a URL under the public base. */
function absoluteDownloadUrlsIn(message: Record<string, unknown>, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(message)) {
    out[key] = key === 'download_url' && typeof field === 'string' && field.startsWith('/') ? `${base}${field}` : absoluteDownloadUrls(field, base);
  }
  return out;
}

function absoluteDownloadUrls(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((item) => absoluteDownloadUrls(item, base));
  return isRecord(value) ? absoluteDownloadUrlsIn(value, base) : value;
}

/** What POST …/test sends: a message of the endpoint's first family that a receiver can parse. */
export function testPayload(family: PayloadFamily, now: Date): Record<string, unknown> {
  if (family === 'operational_visibility') {
    const update = { type: 'Order', id: null, update_type: 'CUSTOM', custom_event_code: 'WAYBILL_TEST', status: null };
    return { events: [{ timestamp: now.toISOString(), update }], order: null, trip: null };
  }
  if (family === 'master_data') {
    return { entity: 'test', operation: 'test', id: null, version: 0, record: { message: 'Test message from Waybill' }, occurred_at: now.toISOString() };
  }
  return { type: 'webhook.test', occurred_at: now.toISOString(), payload: { message: 'Test message from Waybill' } };
}
