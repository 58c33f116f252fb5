import type { ColumnType } from 'kysely';
import type { Generated, Json } from '../../platform/db/database.js';
import type { DispatchSnapshot } from './dispatch/dispatch.policy.js';
import type { RESOURCE_TYPES } from './trips.schemas.js';
import type { InboundUpdate } from './status/status.schemas.js';

export type TripStatus = 'CREATED' | 'PLANNED' | 'COMPLETED';
export type TripExecutor = 'NONE' | 'SUBCONTRACTOR' | 'FLEET';
export type DispatchStatus = 'NONE' | 'SENT' | 'ACCEPTED' | 'REJECTED';

/** An own resource on a trip, copied from master data when it was dispatched. */
export interface ResourceRef {
  resource_type: (typeof RESOURCE_TYPES)[number];
  id: string;
  name?: string;
}

export interface DispatchError {
  error_type: 'USER_INPUT_ERROR' | 'INTERNAL_ERROR' | 'NOT_SUPPORTED';
  error_message: string | null;
}

export interface TripTable {
  tenant_id: string;
  id: string;
  name: string;
  status: TripStatus;
  version: Generated<number>;
  executor: Generated<TripExecutor>;
  subcontractor_company_id: string | null;
  /** numeric: read back as a string on both engines. */
  purchase_price: string | null;
  purchase_currency: string | null;
  resources: Json<ResourceRef[]>;
  dispatch_status: Generated<DispatchStatus>;
  dispatch_errors: Json<DispatchError[]>;
  dispatched_at: Date | null;
  dispatched_snapshot: ColumnType<DispatchSnapshot | null, string | null, string | null>;
  first_date: string | null;
  last_date: string | null;
  external_identifier: string | null;
  cancelled_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TripStopTable {
  tenant_id: string;
  trip_id: string;
  stop_id: string;
  order_id: string;
  sequence: number;
  active: Generated<boolean>;
}

export interface UnmatchedUpdateTable {
  tenant_id: string;
  id: string;
  api_client_id: string;
  reason: 'UNMATCHED' | 'AMBIGUOUS';
  message: string;
  body: Json<InboundUpdate>;
  received_at: Generated<Date>;
  sender_company_id: string | null;
  state: Generated<UnmatchedState>;
  stop_id: string | null;
  outcome: string | null;
  dismiss_reason: string | null;
  settled_at: Date | null;
  settled_by: string | null;
}

/** OPEN until the tenant assigns the update to a stop (which applies it) or dismisses it. */
export type UnmatchedState = 'OPEN' | 'ASSIGNED' | 'DISMISSED';

declare module '../../platform/db/database.js' {
  interface Database {
    trips: TripTable;
    trip_stops: TripStopTable;
    trip_unmatched_updates: UnmatchedUpdateTable;
  }
}
