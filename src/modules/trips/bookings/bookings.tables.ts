import type { Generated, Json } from '../../../platform/db/database.js';

export type BookingKind = 'LOCATION' | 'INTERMODAL';
export type BookingStatus = 'TO_REQUEST' | 'REQUESTED' | 'BOOKED' | 'CANCELLED';

/** One execution status an operator or location reported (the contract's `BookingExecutionStatus`). */
export interface ExecutionStatus {
  event_time: string;
  ok: boolean;
  type: string;
  remark: string | null;
}

export interface BookingFailure {
  error_type: 'USER_INPUT_ERROR' | 'INTERNAL_ERROR' | 'NOT_SUPPORTED';
  error_message: string | null;
}

export interface PortReferences {
  arrival_reference_number: string | null;
  departure_reference_number: string | null;
}

export interface TripBookingTable {
  tenant_id: string;
  stop_id: string;
  kind: BookingKind;
  trip_id: string;
  status: BookingStatus;
  booking_reference: string | null;
  port_references: Json<PortReferences | null>;
  execution_statuses: Json<ExecutionStatus[]>;
  skip_dispatch: boolean;
  failure: Json<BookingFailure | null>;
  question_answers: Json<Record<string, unknown>>;
  event_time: Date;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    trip_bookings: TripBookingTable;
  }
}
