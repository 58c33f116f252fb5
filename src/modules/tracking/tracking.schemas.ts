import { Type, type Static } from '@sinclair/typebox';
import { DateTime, ErrorStatus, FreeObject, Nullable, opt, Str, Uuid } from '../../platform/http/schemas.js';

/** The contract's tracking webhook: positions (and other telematics) per resource, and Waybill's stored positions. */

const FieldMatch = Type.Object({ matches_any: Type.Array(Str(255), { minItems: 1, maxItems: 50 }) });
const ResourceFieldsMatch = Type.Object({
  name: opt(FieldMatch),
  generic_id: opt(Type.Unsafe<Static<typeof FieldMatch>>({ ...FieldMatch, description: "The resource's id, external id or code." })),
  integration_object_id: opt(Type.Unsafe<Static<typeof FieldMatch>>({ ...FieldMatch, description: "The resource's external id." })),
});
export type ResourceFieldsMatch = Static<typeof ResourceFieldsMatch>;

const TrackingMatchInput = Type.Object({
  resource: opt(
    Type.Object({
      driver: opt(ResourceFieldsMatch),
      vehicle: opt(ResourceFieldsMatch),
      subcontractor: opt(ResourceFieldsMatch),
      container: opt(ResourceFieldsMatch),
    }),
  ),
});
export type TrackingMatchInput = Static<typeof TrackingMatchInput>;

export const PositionData = Type.Object({
  timestamp: Type.Unsafe<string>({ ...DateTime, description: 'When the position was taken; an offset is required.' }),
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
});

const Measurement = FreeObject('Accepted and not stored: Waybill keeps positions only.');
const TrackingUpdateData = Type.Object({
  position: opt(PositionData),
  temperature: opt(Measurement),
  tachograph: opt(Measurement),
  fuel: opt(Measurement),
  mileage: opt(Measurement),
  weight: opt(Measurement),
});

export const TrackingUpdatePayload = Type.Object(
  {
    updates: Type.Array(
      Type.Object({
        tracking_match: Type.Object({
          matches_any: Type.Optional(
            Type.Array(TrackingMatchInput, { maxItems: 10, description: 'Empty or left out: the update names no resource and is answered in `errors`.' }),
          ),
        }),
        tracking_update_data: Type.Optional(Type.Array(TrackingUpdateData, { maxItems: 100 })),
      }),
      { maxItems: 100 },
    ),
  },
  {
    $id: 'TrackingUpdatePayload',
    examples: [
      {
        updates: [
          {
            tracking_match: { matches_any: [{ resource: { vehicle: { generic_id: { matches_any: ['1-TRC-001'] } } } }] },
            tracking_update_data: [{ position: { timestamp: '2026-12-01T09:30:00Z', latitude: 51.0543, longitude: 3.7174 } }],
          },
        ],
      },
    ],
  },
);
export type TrackingUpdatePayload = Static<typeof TrackingUpdatePayload>;

export const TrackingUpdateResponse = Type.Object(
  { errors: Type.Array(ErrorStatus, { description: 'One entry per update (or kind of data) not taken, naming it; empty when all were.' }) },
  {
    $id: 'TrackingUpdateResponse',
    examples: [{ errors: [] }, { errors: [{ error_type: 'USER_INPUT_ERROR', error_message: 'updates.0: no active resource matches' }] }],
  },
);
export type TrackingUpdateResponse = Static<typeof TrackingUpdateResponse>;

const StoredPosition = Type.Object({
  timestamp: DateTime,
  latitude: Type.Number(),
  longitude: Type.Number(),
  received_at: DateTime,
});

const EXAMPLE_POSITION = { timestamp: '2026-12-01T09:30:00.000Z', latitude: 51.0543, longitude: 3.7174, received_at: '2026-12-01T09:30:02.118Z' };

export const ResourcePositions = Type.Object(
  {
    resource_id: Uuid,
    last_position: Nullable(StoredPosition),
    history: Type.Array(StoredPosition, { description: 'The newest positions first (at most 100).' }),
  },
  {
    $id: 'ResourcePositions',
    examples: [{ resource_id: '5b0e7f8a-52a6-4f77-9d0c-0c2b8f3e1a11', last_position: EXAMPLE_POSITION, history: [EXAMPLE_POSITION] }],
  },
);
export type ResourcePositions = Static<typeof ResourcePositions>;

export const trackingSchemas = [TrackingUpdatePayload, TrackingUpdateResponse, ResourcePositions];
