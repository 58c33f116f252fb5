import type { BookingFailure, BookingStatus, ExecutionStatus, PortReferences } from './bookings.tables.js';

/**
 * How one reported booking update changes what Waybill holds about a booking. Booking systems
 * resend and reorder: execution statuses carry their own times, so they are merged whatever the
 * order (each once, chronological); the booking's status, references and failure are "the latest
 * word", so a report older than the newest applied one does not overwrite them.
 */

export interface BookingState {
  status: BookingStatus;
  booking_reference: string | null;
  port_references: PortReferences | null;
  execution_statuses: ExecutionStatus[];
  skip_dispatch: boolean;
  failure: BookingFailure | null;
  question_answers: Record<string, unknown>;
  event_time: Date;
}

export interface BookingReport {
  eventTime: Date;
  status?: BookingStatus;
  bookingReference?: string | null;
  portReferences?: PortReferences | null;
  executionStatuses?: ExecutionStatus[];
  skipDispatch?: boolean | null;
  failure?: BookingFailure | null;
  questionAnswers?: Record<string, unknown>;
}

const NO_REFERENCES: PortReferences = { arrival_reference_number: null, departure_reference_number: null };

export type BookingOutcome = 'APPLIED' | 'DUPLICATE' | 'STALE';

const statusKey = (s: ExecutionStatus) => `${new Date(s.event_time).toISOString()}|${s.type}|${s.ok}|${s.remark ?? ''}`;

/** `current` with `added` merged in: one entry per (time, type, ok, remark), oldest first. */
export function mergeExecutionStatuses(current: ExecutionStatus[], added: ExecutionStatus[]): ExecutionStatus[] {
  const byKey = new Map(current.map((s) => [statusKey(s), s]));
  for (const s of added) if (!byKey.has(statusKey(s))) byKey.set(statusKey(s), { ...s, event_time: new Date(s.event_time).toISOString() });
  return [...byKey.values()].sort((a, b) => Date.parse(a.event_time) - Date.parse(b.event_time) || a.type.localeCompare(b.type));
}

/**
 * The booking after `report`. A new booking starts REQUESTED: a booking system reports only what
 * it was asked for. `skip_dispatch` is one-way: once final, a booking stays final.
 */
export function applyBookingReport(current: BookingState | undefined, report: BookingReport): { next: BookingState; outcome: BookingOutcome } {
  const base: BookingState = current ?? {
    status: 'REQUESTED',
    booking_reference: null,
    port_references: null,
    execution_statuses: [],
    skip_dispatch: false,
    failure: null,
    question_answers: {},
    event_time: report.eventTime,
  };
  const latest = !current || report.eventTime.getTime() >= current.event_time.getTime();
  const next: BookingState = {
    ...base,
    execution_statuses: mergeExecutionStatuses(base.execution_statuses, report.executionStatuses ?? []),
    skip_dispatch: base.skip_dispatch || report.skipDispatch === true,
    question_answers: { ...base.question_answers, ...(report.questionAnswers ?? {}) },
  };
  if (latest) {
    next.event_time = report.eventTime;
    if (report.status) next.status = report.status;
    if (report.bookingReference !== undefined && report.bookingReference !== null) next.booking_reference = report.bookingReference;
    // Both references always present (the GET's shape); a report that names one keeps the other.
    if (report.portReferences)
      next.port_references = { ...NO_REFERENCES, ...(base.port_references ?? {}), ...withoutNulls(report.portReferences) } as PortReferences;
    // A failure is the latest word too: a later report without one means the operator recovered.
    if (report.failure !== undefined || report.status || report.executionStatuses?.length) next.failure = report.failure ?? null;
  }
  if (current && same(current, next)) return { next: current, outcome: latest ? 'DUPLICATE' : 'STALE' };
  return { next, outcome: 'APPLIED' };
}

function withoutNulls(refs: PortReferences): Partial<PortReferences> {
  return Object.fromEntries(Object.entries(refs).filter(([, v]) => v !== null && v !== undefined));
}

function same(a: BookingState, b: BookingState): boolean {
  const { event_time: _a, ...restA } = a;
  const { event_time: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}
