import type { Generated, Json } from '../../platform/db/database.js';
import type { OrderStatus, StopStatus } from './status/status.policy.js';
import type { ConsignmentInput, GoodInput, OrderInput, StopInput } from './orders.schemas.js';

/*
 * The jsonb columns hold the order's input as `orders.mapping.ts` splits it (nulls dropped): typed
 * as those parts, so readers need no casts. Inputs are open objects, so a stored part may also
 * carry fields the schema does not name; outputs pick the declared ones.
 */

/** What `headerOf` keeps of an `OrderInput`: the key, customer, status and children live elsewhere. */
export type StoredHeader = Omit<
  OrderInput,
  'operation' | 'order_identifier' | 'customer' | 'order_status' | 'consignments' | 'customer_reference_number' | 'raw_input'
>;
/** A stop's input without the fields that have columns. */
export type StoredStopDetails = Omit<StopInput, 'location' | 'date' | 'reference_number'>;
/** A consignment's input without its stops, goods and reference (rows and a column of their own). */
/** A good's input; its handling units and packaged items carry the ids the import gave them. */
export type StoredGood = Omit<GoodInput, 'packaged_items'> & { packaged_items?: Array<NonNullable<GoodInput['packaged_items']>[number] & { id: string }> };
export type StoredConsignmentDetails = Omit<ConsignmentInput, 'pickup_stop' | 'delivery_stop' | 'goods' | 'consignment_reference_number'>;

export interface OrderTable {
  tenant_id: string;
  id: string;
  name: string;
  order_identifier: string;
  customer_company_id: string;
  customer_reference_number: string | null;
  is_quote: boolean;
  status: OrderStatus;
  cancelled_at: Date | null;
  customer_entity: Json<NonNullable<OrderInput['customer']>>;
  header: Json<StoredHeader>;
  input_hash: string;
  created_by_client_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ConsignmentTable {
  tenant_id: string;
  id: string;
  order_id: string;
  position: number;
  reference_number: string | null;
  details: Json<StoredConsignmentDetails>;
}

export type StopType = 'PICKUP' | 'DELIVERY' | 'CUSTOM';

export interface StopTable {
  tenant_id: string;
  id: string;
  order_id: string;
  consignment_id: string | null;
  stop_type: StopType;
  sequence: number;
  status: Generated<StopStatus>;
  /** `date` column, always read back as `YYYY-MM-DD` text (see the repo's selections). */
  requested_date: string | null;
  location: Json<StopInput['location']>;
  reference_number: string | null;
  eta_start: Date | null;
  eta_end: Date | null;
  actual_start: Date | null;
  actual_end: Date | null;
  details: Json<StoredStopDetails>;
  updated_at: Generated<Date>;
}

export interface GoodTable {
  tenant_id: string;
  id: string;
  order_id: string;
  consignment_id: string;
  position: number;
  details: Json<StoredGood>;
}

export type UploadStatus = 'TODO' | 'IN_PROGRESS' | 'READY_TO_UPSERT' | 'UPSERT_IN_PROGRESS' | 'COMPLETED' | 'ERROR' | 'SKIPPED' | 'DUPLICATE';

export interface UploadError {
  error_type: 'USER_INPUT_ERROR' | 'INTERNAL_ERROR' | 'NOT_SUPPORTED';
  error_message: string | null;
}

export interface OrderUploadTable {
  tenant_id: string;
  id: string;
  api_client_id: string;
  uploader_company_id: string | null;
  operation: string;
  order_identifier: string;
  status: UploadStatus;
  order_id: string | null;
  errors: Json<UploadError[]>;
  created_at: Generated<Date>;
}

/** See migrations/011_order_status_documents.sql. */
export interface OrderStatusDocumentTable {
  tenant_id: string;
  order_id: string;
  customer_company_id: string;
  customer_version: number;
  /** The serialised `OrderWithStatus`. */
  document: string;
}

/** See migrations/025_order_tracking_links.sql and 031_tracking_link_creator.sql. */
export interface OrderTrackingLinkTable {
  tenant_id: string;
  order_id: string;
  /** SHA-256 (hex) of the link's token; the token itself is never stored. */
  token_hash: string;
  created_by: string | null;
  /** The creator as events name their actor: a person or an API client, with its name then. */
  created_by_type: 'api_client' | 'user' | null;
  created_by_id: string | null;
  created_by_name: string | null;
  created_at: Generated<Date>;
}

declare module '../../platform/db/database.js' {
  interface Database {
    orders: OrderTable;
    order_consignments: ConsignmentTable;
    order_stops: StopTable;
    order_goods: GoodTable;
    order_uploads: OrderUploadTable;
    order_status_documents: OrderStatusDocumentTable;
    order_tracking_links: OrderTrackingLinkTable;
  }
}
