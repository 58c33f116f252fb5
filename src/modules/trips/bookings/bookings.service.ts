import type { Db } from '../../../platform/db/database.js';
import { inTransaction } from '../../../platform/db/tx.js';
import { appendEvent } from '../../../platform/events/append.js';
import type { EventBus } from '../../../platform/events/bus.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import { DocumentAnswerError, isDocumentAnswer, type DocumentsService } from '../../documents/index.js';
import type { OrdersService } from '../../orders/index.js';
import * as tripsRepo from '../trips.repo.js';
import { stopFiles } from '../status/status.service.js';
import { applyBookingReport, type BookingReport } from './bookings.policy.js';
import * as repo from './bookings.repo.js';
import type { BookableStop } from './bookings.repo.js';
import type { BookingKind } from './bookings.tables.js';
import type { TripReader } from '../trips.output.js';
import { bookingOperation, bookingOutput, intermodalBookingMessage, locationBookingMessage } from './bookings.output.js';
import type { BookingUpdateResponse, BookingUpdateResult, IntermodalBookingUpdate, LocationBookingUpdate } from './bookings.schemas.js';

/**
 * Inbound booking updates: a location's slot booking system (`/v1/webhook/location-booking-update`)
 * and an intermodal operator (`/v1/webhook/intermodal-status`) report on the bookings they hold for
 * a trip's stop. A booking's id is its stop's id; `match` finds it by the operator's reference or the
 * trip's name instead. Each update is applied in its own transaction and answered on its own, as
 * the status webhooks do: a batch never fails because one update names the wrong booking.
 */

type Match = LocationBookingUpdate['match'];

/** What both webhooks say about one booking, in one shape. */
interface Normalised {
  id: string | null;
  match: Match;
  report: BookingReport;
  /** A rule the update breaks, found before looking for its booking. */
  invalid?: string;
}

const result = (outcome: BookingUpdateResult['outcome'], bookingId: string | null = null, message: string | null = null): BookingUpdateResult => ({
  outcome,
  booking_id: bookingId,
  message,
});

const at = (value: string | null | undefined, now: Date) => (value ? new Date(value) : now);

function fromLocation(u: LocationBookingUpdate, now: Date): Normalised {
  const answers = Object.fromEntries(Object.entries(u.question_answers ?? {}).filter(([, a]) => !isDocumentAnswer(a)));
  return {
    id: u.id ?? null,
    match: u.match,
    report: {
      eventTime: at(u.event_time, now),
      status: u.status ?? undefined,
      executionStatuses: (u.execution_status?.execution_statuses ?? []).map((s) => ({ ...s, remark: s.remark ?? null })),
      questionAnswers: answers,
    },
  };
}

function fromIntermodal(u: IntermodalBookingUpdate, now: Date): Normalised {
  const s = u.status;
  const nothingInStatus = s && !s.booking_status && !s.execution_statuses?.length && !s.failure;
  return {
    id: u.id ?? u.booking_id ?? null,
    match: u.match,
    invalid: nothingInStatus ? 'status needs one of booking_status, execution_statuses or failure' : undefined,
    report: {
      eventTime: at(u.event_time ?? u.timestamp, now),
      status: s?.booking_status ?? undefined,
      executionStatuses: (s?.execution_statuses ?? []).map((e) => ({ ...e, remark: e.remark ?? null })),
      failure: s ? (s.failure ?? null) : undefined,
      bookingReference: u.booking_reference,
      portReferences: u.references
        ? {
            arrival_reference_number: u.references.arrival_reference_number ?? null,
            departure_reference_number: u.references.departure_reference_number ?? null,
          }
        : undefined,
      skipDispatch: u.skip_dispatch,
    },
  };
}

export function createBookingIntake(deps: {
  db: Db;
  bus: EventBus;
  orders: Pick<OrdersService, 'findOrderRef'>;
  documents: Pick<DocumentsService, 'attachToOrder'>;
  view: TripReader;
}) {
  const { db, bus, orders } = deps;

  /** The one bookable stop an update names, or why there is none. */
  async function locate(tenantId: string, kind: BookingKind, u: Normalised): Promise<BookableStop | BookingUpdateResult> {
    if (u.id)
      return (
        (await repo.bookableStop(db, tenantId, kind, u.id)) ?? result('UNMATCHED', null, `No booking ${u.id}: no stop with that id on a live trip of yours`)
      );
    const matches = u.match?.matches_all ?? [];
    const references = matches.flatMap((m) => (m.booking_reference ? [m.booking_reference.matches_any] : []));
    const tripNames = matches.flatMap((m) => (m.name ? [m.name.matches_any] : []));
    if (!references.length && !tripNames.length) return result('REJECTED', null, 'An update needs an id or a match with booking_reference or name');
    // A trip's name names its stops; among them, one that already has a booking of this kind is the one meant.
    const found = await repo.matchingStops(db, tenantId, kind, { references, tripNames }, 2);
    const [first, second] = found;
    if (!first) return result('UNMATCHED', null, 'No booking on your live trips matches every criterion');
    if (second && (second.booked || !first.booked))
      return result('AMBIGUOUS', null, 'Several bookings match every criterion; add booking_reference or send id');
    return first;
  }

  async function applyOne(principal: Principal, kind: BookingKind, u: Normalised, files: ReturnType<typeof stopFiles>): Promise<BookingUpdateResult> {
    if (u.invalid) return result('REJECTED', u.id, u.invalid);
    const found = await locate(principal.tenantId, kind, u);
    if ('outcome' in found) return found;
    // Read before the transaction: on PGlite a pool read would wait behind it.
    const order = await orders.findOrderRef(principal.tenantId, found.order_id);
    const companyIds = [order.customerCompanyId, ...(found.subcontractor_company_id ? [found.subcontractor_company_id] : [])];
    return inTransaction(db, async (tx) => {
      // The trip's lock orders concurrent reports on its bookings: each merges into what the last one wrote.
      const trip = await tripsRepo.findTrip(tx.trx, principal.tenantId, found.trip_id, { kind: 'tenant' }, true);
      if (!trip || trip.cancelled_at) return result('UNMATCHED', null, 'The trip was cancelled meanwhile');
      const current = await repo.findBooking(tx.trx, principal.tenantId, found.stop_id, kind, true);
      const { next, outcome } = applyBookingReport(current, u.report);
      if (outcome !== 'APPLIED' && !files.length) return result(outcome, found.stop_id);
      const row = await repo.saveBooking(tx.trx, {
        tenant_id: principal.tenantId,
        stop_id: found.stop_id,
        kind,
        trip_id: found.trip_id,
        status: next.status,
        booking_reference: next.booking_reference,
        port_references: JSON.stringify(next.port_references),
        execution_statuses: JSON.stringify(next.execution_statuses),
        skip_dispatch: next.skip_dispatch,
        failure: JSON.stringify(next.failure),
        question_answers: JSON.stringify(next.question_answers),
        event_time: next.event_time,
      });
      for (const file of files) {
        await deps.documents.attachToOrder(tx, {
          tenantId: principal.tenantId,
          orderId: order.id,
          companyIds,
          subjectType: 'STOP',
          subjectId: found.stop_id,
          ...file,
          uploadedBy: principal.apiClientId,
          attachedByCompanyId: principal.companyId,
        });
      }
      // The receivers' message is built here, from what this transaction wrote: it shows this moment.
      const booking = bookingOutput(row, found.trip_name);
      const view = await deps.view(tx.trx, trip);
      const operation = bookingOperation(!current, booking);
      const message = kind === 'INTERMODAL' ? intermodalBookingMessage(view, booking, operation) : locationBookingMessage(view, booking, operation);
      await appendEvent(tx, bus, {
        tenantId: principal.tenantId,
        type: 'trip.booking_updated',
        entityType: 'trip',
        entityId: found.trip_id,
        companyIds,
        payload: { order_id: order.id, kind, operation, booking, message },
      });
      return result('APPLIED', found.stop_id);
    });
  }

  async function receive(
    principal: Principal,
    kind: BookingKind,
    updates: Array<{ update: Normalised; answers?: Record<string, unknown> }>,
  ): Promise<BookingUpdateResponse> {
    const results: BookingUpdateResult[] = [];
    for (const { update, answers } of updates) {
      try {
        results.push(
          await applyOne(principal, kind, update, stopFiles(Object.fromEntries(Object.entries(answers ?? {}).filter(([, a]) => isDocumentAnswer(a))))),
        );
      } catch (err) {
        // A rule the update breaks is its own result; the batch goes on.
        if (err instanceof DocumentAnswerError) results.push(result('REJECTED', update.id, err.message));
        else if (err instanceof AppError && err.statusCode < 500) results.push(result('REJECTED', update.id, err.message));
        else throw err;
      }
    }
    const errors = results.flatMap((r, i) =>
      r.outcome === 'UNMATCHED' || r.outcome === 'AMBIGUOUS' || r.outcome === 'REJECTED'
        ? [{ error_type: 'USER_INPUT_ERROR' as const, error_message: `update ${i}: ${r.message ?? r.outcome}` }]
        : [],
    );
    return { errors, results };
  }

  return {
    receiveLocationBookings(principal: Principal, updates: LocationBookingUpdate[]) {
      const now = new Date();
      return receive(
        principal,
        'LOCATION',
        updates.map((u) => ({ update: fromLocation(u, now), answers: u.question_answers })),
      );
    },

    receiveIntermodalBookings(principal: Principal, updates: IntermodalBookingUpdate[]) {
      const now = new Date();
      return receive(
        principal,
        'INTERMODAL',
        updates.map((u) => ({ update: fromIntermodal(u, now) })),
      );
    },

    /** The bookings reported for a trip's stops, oldest first; the caller has checked it may see the trip. */
    async listForTrip(tenantId: string, trip: { id: string; name: string }) {
      const rows = await repo.tripBookings(db, tenantId, trip.id);
      return { items: rows.map((r) => bookingOutput(r, trip.name)), next_cursor: null };
    },
  };
}

export type BookingIntake = ReturnType<typeof createBookingIntake>;
