import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { DateTime, ErrorStatus, FreeObject, Nullable, opt, Str, Uuid } from '../../../platform/http/schemas.js';

/** The contract's trip import webhook: an external planner's trip, and the answer to it. */

const TripImportStop = Type.Object({
  sequence: Type.Integer({ minimum: 0, maximum: 10000, description: 'Visiting order, from 0.' }),
  id: opt(Type.Unsafe<string>({ ...Uuid, description: 'The order stop id; stops are only named by id.' })),
  location: opt(Type.Object({ id: opt(Uuid) })),
  custom_fields: opt(FreeObject()),
  start_timestamp: Type.Unsafe<string>({ ...DateTime, description: 'Planned arrival; sequence order must be chronological.' }),
  end_timestamp: DateTime,
  fixed_timestamp_type: opt(StringEnum(['ENFORCED_TIMEWINDOW', 'SET_BY_USER', 'CALCULATED'] as const)),
  question_answers: opt(FreeObject()),
});

const EXAMPLE = {
  trip_identifier: 'ROUTE-2026-12-01-07',
  planned_stops: [
    { sequence: 0, id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01', start_timestamp: '2026-12-01T07:30:00Z', end_timestamp: '2026-12-01T08:00:00Z' },
    { sequence: 1, id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a02', start_timestamp: '2026-12-01T11:00:00Z', end_timestamp: '2026-12-01T11:30:00Z' },
  ],
  start_timestamp: '2026-12-01T07:00:00Z',
  primary_resources: [{ id: '5b0e7f8a-52a6-4f77-9d0c-0c2b8f3e1a11' }],
};

export const TripImportInput = Type.Object(
  {
    trip_identifier: opt(Str(255, { minLength: 1, description: "The planner's key: a known key updates its trip, a new one creates a trip." })),
    status: opt(StringEnum(['CANCELLED'] as const, { description: 'CANCELLED undoes the trip of `trip_identifier`.' })),
    planned_stops: Type.Array(TripImportStop, { maxItems: 500, description: 'The whole stop list of the trip.' }),
    start_timestamp: opt(DateTime),
    primary_resources: opt(Type.Array(Type.Object({ id: Uuid }), { maxItems: 10, description: 'Own resources (ids) to dispatch the trip to.' })),
    unassigned_stops: opt(Type.Array(Type.Object({ stop_id: Uuid, reason: opt(Str(2000)) }), { maxItems: 500 })),
    failure: opt(ErrorStatus),
  },
  {
    $id: 'TripImportInput',
    examples: [EXAMPLE, { trip_identifier: EXAMPLE.trip_identifier, status: 'CANCELLED', planned_stops: [] }],
  },
);
export type TripImportInput = Static<typeof TripImportInput>;

export const TripImportResponse = Type.Object(
  {
    errors: Type.Array(ErrorStatus, { description: 'What was not done; rule violations are answered 400/409 in the error envelope instead.' }),
    trip_id: Nullable(Type.Unsafe<string>({ ...Uuid, description: 'Waybill: the trip the import created, changed or cancelled.' })),
    trip_name: Nullable(Type.String({ description: "Waybill: that trip's name." })),
  },
  {
    $id: 'TripImportResponse',
    examples: [
      { errors: [], trip_id: '7d0c3f5e-8a9b-4c1d-9e2f-3a4b5c6d7e8f', trip_name: 'TR-000012' },
      {
        errors: [{ error_type: 'NOT_SUPPORTED', error_message: 'question_answers of planned stops are not applied' }],
        trip_id: '7d0c3f5e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
        trip_name: 'TR-000012',
      },
    ],
  },
);
export type TripImportResponse = Static<typeof TripImportResponse>;

export const tripImportSchemas = [TripImportInput, TripImportResponse];
