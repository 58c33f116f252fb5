import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { DateTime, FreeObject, Nullable, opt, Page, PageQuery, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';

/** Inbound execution webhooks: the contract's status update payloads, and Waybill's per-update answer. */

export const FieldMatch = Type.Object({ matches_any: Type.Array(Str(255), { minItems: 1, maxItems: 50 }) });

export const StopMatchInput = Type.Object({
  trip: opt(Type.Object({ name: opt(FieldMatch) })),
  order: opt(Type.Object({ customer_reference_number: opt(FieldMatch), name: opt(FieldMatch), id: opt(FieldMatch) })),
  consignment: opt(Type.Object({ reference_number: opt(FieldMatch), order_sequence_number: opt(Type.Integer({ minimum: 1, maximum: 1000 })) })),
  stop: opt(Type.Object({ reference_number: opt(FieldMatch), stop_type: opt(StringEnum(['PICKUP', 'DELIVERY'] as const)) })),
});
export type StopMatchInput = Static<typeof StopMatchInput>;

export const StopStatusUpdate = Type.Object({
  id: opt(Uuid),
  match: opt(Type.Object({ matches_all: Type.Array(StopMatchInput, { minItems: 1, maxItems: 10 }) })),
  eta_start: opt(DateTime),
  eta_end: opt(DateTime),
  status: opt(StringEnum(['AT_STOP', 'COMPLETED'] as const)),
  question_answers: Type.Optional(FreeObject()),
});
export type StopStatusUpdate = Static<typeof StopStatusUpdate>;

const EXAMPLE = {
  updates: [
    { stop: { id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01', status: 'AT_STOP' }, event_time: '2026-12-01T08:42:00+01:00' },
    {
      stop: {
        match: { matches_all: [{ order: { customer_reference_number: { matches_any: ['PO-4711'] } }, stop: { stop_type: 'DELIVERY' } }] },
        eta_start: '2026-12-02T09:30:00Z',
        eta_end: '2026-12-02T10:00:00Z',
      },
      event_time: '2026-12-01T08:45:00Z',
    },
  ],
};

export const SubcontractorStatusUpdatePayload = Type.Object(
  { updates: Type.Array(Type.Object({ stop: StopStatusUpdate, event_time: DateTime }), { minItems: 1, maxItems: 100 }) },
  { $id: 'SubcontractorStatusUpdatePayload', examples: [EXAMPLE] },
);
export type SubcontractorStatusUpdatePayload = Static<typeof SubcontractorStatusUpdatePayload>;

export const FleetStatusUpdatePayload = Type.Object(
  {
    updates: Type.Array(Type.Object({ stop: StopStatusUpdate, event_time: DateTime, stop_group: Type.Optional(Nullable(FreeObject())) }), {
      minItems: 1,
      maxItems: 100,
    }),
  },
  { $id: 'FleetStatusUpdatePayload', examples: [{ updates: EXAMPLE.updates.map((u) => ({ ...u, stop_group: null })) }] },
);
export type FleetStatusUpdatePayload = Static<typeof FleetStatusUpdatePayload>;
/** One update of either batch (a subcontractor's carries no stop group); kept as received when no stop takes it. */
export type InboundUpdate = FleetStatusUpdatePayload['updates'][number];

export const UPDATE_OUTCOMES = ['APPLIED', 'DUPLICATE', 'STALE', 'UNMATCHED', 'AMBIGUOUS', 'REJECTED', 'NOT_SUPPORTED'] as const;
export type UpdateOutcome = (typeof UPDATE_OUTCOMES)[number];

export const StatusUpdateResponse = Type.Object(
  {
    results: Type.Array(
      Type.Object({
        outcome: StringEnum(UPDATE_OUTCOMES),
        stop_id: Nullable(Uuid),
        message: Nullable(Type.String()),
      }),
      { description: 'Waybill: one result per update, in order (the contract answers `{}`).' },
    ),
  },
  {
    $id: 'StatusUpdateResponse',
    examples: [
      {
        results: [
          { outcome: 'APPLIED', stop_id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01', message: null },
          { outcome: 'UNMATCHED', stop_id: null, message: 'No stop on your trips matches every criterion' },
        ],
      },
    ],
  },
);
export type StatusUpdateResponse = Static<typeof StatusUpdateResponse>;
export type UpdateResult = StatusUpdateResponse['results'][number];

export const UNMATCHED_STATES = ['OPEN', 'ASSIGNED', 'DISMISSED'] as const;

export const UnmatchedUpdate = Type.Object(
  {
    id: Uuid,
    reason: StringEnum(['UNMATCHED', 'AMBIGUOUS'] as const),
    message: Type.String(),
    api_client_id: Uuid,
    update: FreeObject('The update as it was received.'),
    received_at: DateTime,
    state: StringEnum(UNMATCHED_STATES, { description: 'OPEN until the tenant assigns it to a stop (which applies it) or dismisses it.' }),
    stop_id: Nullable(Type.Unsafe<string>({ ...Uuid, description: 'The stop it was assigned to.' })),
    outcome: Nullable(Type.String({ description: 'What applying it to that stop did: APPLIED, or DUPLICATE/STALE when the stop was already further.' })),
    dismiss_reason: Nullable(Type.String()),
    settled_at: Nullable(DateTime),
    settled_by: Nullable(Type.Unsafe<string>({ ...Uuid, description: 'The API client that assigned or dismissed it.' })),
  },
  { $id: 'UnmatchedStatusUpdate' },
);
export type UnmatchedStatusUpdate = Static<typeof UnmatchedUpdate>;
export const ListUnmatchedUpdates = Type.Object(
  { ...Page(ref(UnmatchedUpdate), 'ListUnmatchedStatusUpdates').properties },
  {
    $id: 'ListUnmatchedStatusUpdates',
    examples: [
      {
        items: [
          {
            id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
            reason: 'AMBIGUOUS',
            message: 'Several stops on your trips match every criterion; add criteria or send stop.id',
            api_client_id: '6a7b8c9d-0e1f-4a2b-b3c4-d5e6f7a8b9c0',
            update: {
              stop: { match: { matches_all: [{ order: { customer_reference_number: { matches_any: ['PO-4711'] } } }] }, status: 'AT_STOP' },
              event_time: '2026-12-01T10:00:00Z',
            },
            received_at: '2026-12-01T10:00:01.204Z',
            state: 'OPEN',
            stop_id: null,
            outcome: null,
            dismiss_reason: null,
            settled_at: null,
            settled_by: null,
          },
        ],
        next_cursor: null,
      },
    ],
  },
);
export const UnmatchedQuery = Type.Object({
  state: Type.Optional(StringEnum(UNMATCHED_STATES, { description: 'Only updates in this state (OPEN: the ones still to handle).' })),
  ...PageQuery,
});

export const AssignUnmatchedInput = Type.Object(
  { stop_id: Type.Unsafe<string>({ ...Uuid, description: 'A stop on a live trip of the tenant.' }) },
  { $id: 'AssignUnmatchedInput', examples: [{ stop_id: '9b1c1b52-3c6f-4c36-9b8e-0d8f3a1e5a01' }] },
);
export const DismissUnmatchedInput = Type.Object(
  { reason: Str(500, { minLength: 1, description: 'Why the update needs no stop; kept with it.' }) },
  { $id: 'DismissUnmatchedInput', examples: [{ reason: 'Test message from the subcontractor' }] },
);

const questionPathKey = Str(100, { minLength: 1, description: 'The kind of file: POD, POD_SIGNED, POP, PHOTO, SIGNATURE or a document type.' });
export const StopDocumentQuery = Type.Object({ question_path_key: questionPathKey, stop_id: Uuid });
/** The contract lets the fleet app name a stop group instead of a stop; Waybill has no stop groups. */
export const FleetDocumentQuery = Type.Object({
  question_path_key: questionPathKey,
  stop_id: Type.Optional(Uuid),
  stop_group_id: Type.Optional(Str(100, { description: 'Not supported (Waybill has no stop groups): name the stop with `stop_id`.' })),
});

export const StopDocumentResponse = Type.Object(
  { document_id: Type.Unsafe<string>({ ...Uuid, description: 'Waybill: the stored document (the contract answers `{}`).' }) },
  { $id: 'StopDocumentResponse', examples: [{ document_id: '0d9c6f0e-51a4-4d0e-9b7e-2f1c3a4b5d6e' }] },
);

export const tripStatusSchemas = [
  StopDocumentResponse,
  SubcontractorStatusUpdatePayload,
  FleetStatusUpdatePayload,
  StatusUpdateResponse,
  UnmatchedUpdate,
  ListUnmatchedUpdates,
  AssignUnmatchedInput,
  DismissUnmatchedInput,
];
