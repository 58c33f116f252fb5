import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { DateTime, ErrorStatus, FreeObject, Nullable, opt, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { FieldMatch } from '../status/status.schemas.js';

/**
 * The contract's booking webhooks (`/v1/webhook/location-booking-update`, `/intermodal-status`),
 * Waybill's answer to them, and the bookings a trip holds.
 */

export const BOOKING_STATUSES = ['TO_REQUEST', 'REQUESTED', 'BOOKED', 'CANCELLED'] as const;
const BookingStatus = StringEnum(BOOKING_STATUSES);
export const INTERMODAL_EXECUTION_TYPES = ['GATE_IN', 'CLEARED_CUSTOMS', 'CHECKED_IN', 'ON_BOARD', 'DEPARTED', 'ARRIVED', 'DISCHARGED', 'GATE_OUT'] as const;

const BookingMatchTarget = Type.Object(
  {
    matches_all: Type.Array(Type.Object({ booking_reference: opt(FieldMatch), name: opt(FieldMatch) }), { minItems: 1, maxItems: 10 }),
  },
  { description: "Every entry must hold: `booking_reference` (as an earlier update reported it), `name` (the booking's trip name)." },
);

const ExecutionStatusInput = Type.Object({
  event_time: DateTime,
  ok: Type.Boolean(),
  type: Str(100, {
    minLength: 1,
    description: 'Free text; for intermodal bookings usually GATE_IN, CLEARED_CUSTOMS, ON_BOARD, DEPARTED, ARRIVED, DISCHARGED, GATE_OUT.',
  }),
  remark: opt(Str(2000)),
});

const bookingId = Type.Unsafe<string>({ ...Uuid, description: "The booking's id in Waybill: the id of the stop it books." });
const eventTime = Type.Optional(
  Type.Unsafe<string>({ ...DateTime, description: 'When it happened, with an offset. Defaults to the time Waybill receives the update.' }),
);

export const LocationBookingUpdate = Type.Object({
  match: opt(BookingMatchTarget),
  id: opt(bookingId),
  event_time: eventTime,
  execution_status: opt(Type.Object({ execution_statuses: Type.Array(ExecutionStatusInput, { maxItems: 100 }) })),
  status: opt(BookingStatus),
  question_answers: Type.Optional(FreeObject('Answers for the order: files (documents) are attached to the order, other answers kept on the booking.')),
});
export type LocationBookingUpdate = Static<typeof LocationBookingUpdate>;

const LOCATION_EXAMPLE = {
  updates: [
    {
      id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01',
      event_time: '2026-12-01T08:42:00Z',
      status: 'BOOKED',
      execution_status: { execution_statuses: [{ event_time: '2026-12-01T08:40:00Z', ok: true, type: 'SLOT_CONFIRMED', remark: 'Dock 4, 10:00-10:30' }] },
    },
  ],
};

export const LocationBookingUpdatePayload = Type.Object(
  { updates: Type.Array(LocationBookingUpdate, { minItems: 1, maxItems: 100 }) },
  { $id: 'LocationBookingUpdatePayload', examples: [LOCATION_EXAMPLE] },
);

export const IntermodalBookingUpdate = Type.Object({
  match: opt(BookingMatchTarget),
  id: opt(bookingId),
  event_time: eventTime,
  status: opt(
    Type.Object(
      {
        booking_status: opt(BookingStatus),
        execution_statuses: opt(Type.Array(ExecutionStatusInput, { maxItems: 100 })),
        failure: opt(ErrorStatus),
      },
      { description: 'At least one of booking_status, execution_statuses and failure.' },
    ),
  ),
  booking_reference: opt(Str(255, { description: "The operator's booking reference: kept, and usable in `match` later." })),
  references: opt(Type.Object({ arrival_reference_number: opt(Str(255)), departure_reference_number: opt(Str(255)) })),
  skip_dispatch: opt(Type.Boolean()),
  booking_id: opt(Type.Unsafe<string>({ ...Uuid, deprecated: true, description: 'Deprecated: use `id`.' })),
  timestamp: opt(Type.Unsafe<string>({ ...DateTime, deprecated: true, description: 'Deprecated: use `event_time`.' })),
});
export type IntermodalBookingUpdate = Static<typeof IntermodalBookingUpdate>;

export const IntermodalBookingStatusPayload = Type.Object(
  { updates: Type.Array(IntermodalBookingUpdate, { minItems: 1, maxItems: 100 }) },
  {
    $id: 'IntermodalBookingStatusPayload',
    examples: [
      {
        updates: [
          {
            id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01',
            event_time: '2026-12-01T18:05:00Z',
            booking_reference: 'CLdN-ZEE-4471',
            references: { departure_reference_number: 'ZEE-881', arrival_reference_number: null },
            status: { booking_status: 'BOOKED', execution_statuses: [{ event_time: '2026-12-01T18:00:00Z', ok: true, type: 'GATE_IN', remark: null }] },
          },
        ],
      },
    ],
  },
);

export const BOOKING_OUTCOMES = ['APPLIED', 'DUPLICATE', 'STALE', 'UNMATCHED', 'AMBIGUOUS', 'REJECTED'] as const;
export type BookingUpdateOutcome = (typeof BOOKING_OUTCOMES)[number];

export const BookingUpdateResponse = Type.Object(
  {
    errors: Type.Array(ErrorStatus, {
      description: 'One entry per update that was not applied, saying which and why (the contract: empty when all went well).',
    }),
    results: Type.Array(Type.Object({ outcome: StringEnum(BOOKING_OUTCOMES), booking_id: Nullable(Uuid), message: Nullable(Type.String()) }), {
      description: 'Waybill: one result per update, in order.',
    }),
  },
  {
    $id: 'BookingUpdateResponse',
    examples: [{ errors: [], results: [{ outcome: 'APPLIED', booking_id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01', message: null }] }],
  },
);
export type BookingUpdateResponse = Static<typeof BookingUpdateResponse>;
export type BookingUpdateResult = BookingUpdateResponse['results'][number];

const ExecutionStatusOutput = Type.Object({ event_time: DateTime, ok: Type.Boolean(), type: Type.String(), remark: Nullable(Type.String()) });

export const BookingOutput = Type.Object(
  {
    booking_id: bookingId,
    kind: StringEnum(['LOCATION', 'INTERMODAL'] as const),
    booking_name: Type.String({ description: "The trip's name." }),
    trip_id: Uuid,
    stop_id: Uuid,
    status: BookingStatus,
    booking_reference: Nullable(Type.String()),
    references: Nullable(Type.Object({ arrival_reference_number: Nullable(Type.String()), departure_reference_number: Nullable(Type.String()) })),
    execution_data: Type.Object({ execution_statuses: Type.Array(ExecutionStatusOutput), skip_dispatch: Type.Boolean() }),
    failure: Nullable(ErrorStatus),
    question_answers: FreeObject(),
    event_time: DateTime,
    updated_at: DateTime,
  },
  { $id: 'TripBooking' },
);
export type BookingOutput = Static<typeof BookingOutput>;

export const BookingList = Type.Object(
  { items: Type.Array(ref(BookingOutput)), next_cursor: Nullable(Type.String({ description: 'Always null: a trip has few bookings.' })) },
  {
    $id: 'TripBookingList',
    examples: [
      {
        items: [
          {
            booking_id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01',
            kind: 'LOCATION',
            booking_name: 'TR-000042',
            trip_id: '3f2a9c4e-1b7d-4e8a-9c6f-2d1e0b3a4c5d',
            stop_id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01',
            status: 'BOOKED',
            booking_reference: null,
            references: null,
            execution_data: {
              execution_statuses: [{ event_time: '2026-12-01T08:40:00.000Z', ok: true, type: 'SLOT_CONFIRMED', remark: 'Dock 4, 10:00-10:30' }],
              skip_dispatch: false,
            },
            failure: null,
            question_answers: {},
            event_time: '2026-12-01T08:42:00.000Z',
            updated_at: '2026-12-01T08:42:01.120Z',
          },
        ],
        next_cursor: null,
      },
    ],
  },
);

export const tripBookingSchemas = [LocationBookingUpdatePayload, IntermodalBookingStatusPayload, BookingUpdateResponse, BookingOutput, BookingList];
