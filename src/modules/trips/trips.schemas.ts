import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/enum.js';
import { CurrencyCode, DateOnly, DateTime, DecimalInput, FreeObject, Nullable, Page, PageQuery, Str, Uuid } from '../../platform/http/schemas.js';
import { ref } from '../../platform/http/types.js';
import { OrderStopOutput, TimeWindowInput } from '../orders/index.js';
import { RESOURCE_TYPE_ENUM, type ResourceTypeEnumValue } from '../resources/index.js';

/**
 * Trip wire shapes. Outputs follow the contract's `TripOutput` (GET trip) with Waybill's planning
 * and dispatch fields added; inputs are Waybill's own (the contract plans trips in its UI).
 */

export const TRIP_STATUSES = ['CREATED', 'PLANNED', 'COMPLETED'] as const;
/** The contract's ResourceTypeEnum minus SUBCONTRACTOR (a subcontractor is dispatched, not allocated). */
export const RESOURCE_TYPES = RESOURCE_TYPE_ENUM.filter((type): type is Exclude<ResourceTypeEnumValue, 'SUBCONTRACTOR'> => type !== 'SUBCONTRACTOR');

const EXAMPLE_STOP_IDS = ['9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01', '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a02'];

export const TripStopInput = Type.Object({
  id: Type.Unsafe<string>({ ...Uuid, description: 'An order stop id (from GET /v1/orders/order/{id}).' }),
  date: Type.Optional(Nullable(DateOnly)),
  time_window: Type.Optional(Nullable(TimeWindowInput)),
});
export type TripStopInput = Static<typeof TripStopInput>;

const stopList = Type.Array(TripStopInput, {
  minItems: 1,
  maxItems: 500,
  description: 'The stops in the order the trip visits them; `date` and `time_window` reschedule a stop when given.',
});

export const TripInput = Type.Object(
  { stops: stopList },
  {
    $id: 'TripInput',
    examples: [{ stops: [{ id: EXAMPLE_STOP_IDS[0] }, { id: EXAMPLE_STOP_IDS[1], date: '2026-12-02' }] }],
  },
);
export type TripInput = Static<typeof TripInput>;

export const TripPatch = Type.Object(
  { stops: Type.Optional(stopList) },
  {
    $id: 'TripPatch',
    examples: [
      { stops: [{ id: EXAMPLE_STOP_IDS[0] }, { id: EXAMPLE_STOP_IDS[1], date: '2026-12-03', time_window: { start_time: '08:00', end_time: '12:00' } }] },
    ],
  },
);
export type TripPatch = Static<typeof TripPatch>;

/** An own resource on a trip, as the trip answers it: the master data's id, type and name. */
export const ResourceRefSchema = Type.Object({
  resource_type: StringEnum(RESOURCE_TYPES),
  id: Uuid,
  name: Type.Optional(Type.String()),
});

/** An own resource to dispatch: an active resource of the tenant; its type, when given, must be the resource's. */
const ResourceRefInput = Type.Object({
  resource_type: Type.Optional(StringEnum(RESOURCE_TYPES)),
  id: Type.Unsafe<string>({ ...Uuid, description: 'A resource id (GET /v1/resources/resource); unknown or archived resources are refused.' }),
});

export const DispatchInput = Type.Object(
  {
    subcontractor_id: Type.Optional(Type.Unsafe<string>({ ...Uuid, description: 'A subcontractor company; excludes `resources`.' })),
    purchase_price: Type.Optional(DecimalInput),
    currency: Type.Optional(CurrencyCode),
    resources: Type.Optional(Type.Array(ResourceRefInput, { minItems: 1, maxItems: 10, description: 'Own fleet: driver, tractor or truck, trailer...' })),
  },
  {
    $id: 'TripDispatchInput',
    examples: [{ subcontractor_id: '3f0e8a4e-1b52-4d4e-a3f4-5c7d0b9e2f10', purchase_price: '450.00', currency: 'EUR' }],
  },
);
export type DispatchInput = Static<typeof DispatchInput>;

/** A subcontractor's own answer to the trip dispatched to it (from its trip page rather than its receiver). */
export const DispatchAnswerInput = Type.Object(
  {
    answer: StringEnum(['ACCEPT', 'REJECT'] as const, { description: 'ACCEPT takes the trip; REJECT refuses it (with a reason).' }),
    reason: Type.Optional(Str(500, { minLength: 1, description: 'Why the trip is refused: required with REJECT, shown to the carrier.' })),
  },
  { $id: 'TripDispatchAnswerInput', examples: [{ answer: 'REJECT', reason: 'No truck free on that date' }] },
);
export type DispatchAnswerInput = Static<typeof DispatchAnswerInput>;

export const TripParams = Type.Object({ trip_id: Uuid });

/** One trip as GET answers it (also the example of the list and of every trip route). */
export const EXAMPLE_TRIP = {
  id: '7d0c3f5e-8a9b-4c1d-9e2f-3a4b5c6d7e8f',
  name: 'TR-000012',
  status: 'PLANNED',
  orders: [{ id: '1e8f4b6a-2c3d-4e5f-9a0b-1c2d3e4f5a6b', name: 'OR-000031' }],
  stops: [
    {
      id: EXAMPLE_STOP_IDS[0],
      consignment_id: '4c2a9e1d-7b3f-4e55-8a61-2d9f0c8b7e31',
      stop_type: 'PICKUP',
      sequence: 0,
      status: 'DISPATCHED',
      date: '2026-12-01',
      reference_number: 'ORD-1-P1',
      location: { name: 'Antwerp DC', address: 'Noorderlaan 100', postal_code: '2030', city: 'Antwerpen', country: 'BE' },
      time_window: { start_time: '08:00', end_time: '12:00', custom_fields: {} },
      start_timestamp: null,
      end_timestamp: null,
      custom_fields: {},
      order: { row_id: '1e8f4b6a-2c3d-4e5f-9a0b-1c2d3e4f5a6b' },
    },
  ],
  resource_allocations: [],
  version: 3,
  cancelled: false,
  executor: 'SUBCONTRACTOR',
  subcontractor: { id: '3f0e8a4e-1b52-4d4e-a3f4-5c7d0b9e2f10', code: 'HAUL', name: 'Haulers Ltd' },
  purchase_price: '450.00',
  currency: 'EUR',
  resources: [],
  dispatch: { status: 'ACCEPTED', errors: [], dispatched_at: '2026-11-30T14:02:11.120Z' },
  created_timestamp: '2026-11-30T13:55:02.481Z',
  updated_timestamp: '2026-11-30T14:02:11.120Z',
};

export const TripStopOutput = Type.Object(
  {
    ...OrderStopOutput.properties,
    order: Type.Object({ row_id: Uuid }),
  },
  { $id: 'TripStopOutput' },
);
export type TripStopOutput = Static<typeof TripStopOutput>;

const ErrorStatusOutput = Type.Object({ error_type: Type.String(), error_message: Nullable(Type.String()) });

const tripOutputFields = {
  id: Uuid,
  name: Type.String(),
  status: StringEnum(TRIP_STATUSES),
  orders: Type.Array(Type.Object({ id: Uuid, name: Type.String() })),
  stops: Type.Array(ref(TripStopOutput)),
  resource_allocations: Type.Array(FreeObject()),
  version: Type.Integer({ description: 'Waybill: send it back as `If-Match` to change the trip only if nobody else did meanwhile.' }),
  cancelled: Type.Boolean({ description: 'Waybill: the trip was cancelled; its stops are free to plan again.' }),
  executor: StringEnum(['NONE', 'SUBCONTRACTOR', 'FLEET'] as const, { description: 'Waybill: who executes the trip.' }),
  subcontractor: Nullable(Type.Object({ id: Uuid, code: Nullable(Type.String()), name: Type.String() })),
  purchase_price: Nullable(Type.String({ description: 'Waybill: the agreed purchase price, a decimal string.' })),
  currency: Nullable(Type.String()),
  resources: Type.Array(ResourceRefSchema),
  dispatch: Type.Object(
    {
      status: StringEnum(['NONE', 'SENT', 'ACCEPTED', 'REJECTED'] as const),
      errors: Type.Array(ErrorStatusOutput),
      dispatched_at: Nullable(DateTime),
    },
    { description: "Waybill: the executor's answer to the last dispatch message." },
  ),
  created_timestamp: DateTime,
  updated_timestamp: DateTime,
};

export const TripOutput = Type.Object(tripOutputFields, { $id: 'TripOutput', examples: [EXAMPLE_TRIP] });
export type TripOutput = Static<typeof TripOutput>;

export const ListTripOutput = Type.Object(
  { ...Page(ref(TripOutput), 'ListTripOutput').properties },
  { $id: 'ListTripOutput', examples: [{ items: [EXAMPLE_TRIP], next_cursor: null }] },
);

export const TripListQuery = Type.Object({
  status: Type.Optional(StringEnum(TRIP_STATUSES)),
  cancelled: Type.Optional(Type.Boolean({ description: 'Only cancelled (true) or only live (false) trips.' })),
  subcontractor_id: Type.Optional(Uuid),
  resource_id: Type.Optional(Str(100, { minLength: 1 })),
  date_from: Type.Optional(DateOnly),
  date_to: Type.Optional(DateOnly),
  ...PageQuery,
});
export type TripListQuery = Static<typeof TripListQuery>;

export const TripCostsOutput = Type.Object(
  {
    charges: Type.Array(
      Type.Object({
        description: Type.String(),
        amount: Type.String(),
        currency: Nullable(Type.String()),
        subcontractor_id: Nullable(Uuid),
      }),
    ),
  },
  {
    $id: 'TripCostsOutput',
    examples: [
      { charges: [{ description: 'Subcontracting TR-000012', amount: '450.00', currency: 'EUR', subcontractor_id: '3f0e8a4e-1b52-4d4e-a3f4-5c7d0b9e2f10' }] },
    ],
  },
);
export type TripCostsOutput = Static<typeof TripCostsOutput>;

export const tripsSchemas = [TripInput, TripPatch, DispatchInput, DispatchAnswerInput, TripStopOutput, TripOutput, ListTripOutput, TripCostsOutput];
