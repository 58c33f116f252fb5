import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { DateTime, Nullable, opt, Page, PageQuery, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';

export const DRIVER_REASONS = [
  'DRIVER_FUNERAL',
  'DRIVER_HOLIDAY',
  'DRIVER_JOB_APPLICATION_LEAVE',
  'DRIVER_LATE_START_EARLY_LEAVE',
  'DRIVER_MEDICAL_EXAM',
  'DRIVER_OFF_SHIFT_PATTERN',
  'DRIVER_OTHER',
  'DRIVER_PARENTAL_LEAVE',
  'DRIVER_PUBLIC_HOLIDAY',
  'DRIVER_RECUP',
  'DRIVER_REDUCED_WORKING_HOURS_SCHEME',
  'DRIVER_SHIFT_PATTERN',
  'DRIVER_SICKNESS',
  'DRIVER_SOCIAL_LEAVE',
  'DRIVER_TEMPORARY_UNEMPLOYMENT',
  'DRIVER_TRAINING',
  'DRIVER_UNAUTHORISED_ABSENCE',
  'DRIVER_UNION_LEAVE',
  'DRIVER_WORK_ACCIDENT',
] as const;
export const VEHICLE_REASONS = [
  'VEHICLE_BRAKE_TEST',
  'VEHICLE_CLEANING',
  'VEHICLE_FRC_CERTIFICATE',
  'VEHICLE_HIRE',
  'VEHICLE_HYDRAULIC_INSPECTION',
  'VEHICLE_INSPECTION',
  'VEHICLE_LIFT_OPS_EQUIP_REGULATIONS',
  'VEHICLE_MAINTENANCE',
  'VEHICLE_MOT_TEST',
  'VEHICLE_OFF_ROAD',
  'VEHICLE_OTHER',
  'VEHICLE_PRESSURE_TEST',
  'VEHICLE_REPAIR',
  'VEHICLE_SERVICE',
  'VEHICLE_TACHOGRAPH_CALIBRATION',
] as const;
export const SUBCONTRACTOR_REASONS = ['SUBCONTRACTOR_HOLIDAY', 'SUBCONTRACTOR_SICKNESS', 'SUBCONTRACTOR_OTHER'] as const;

export const UnavailabilityReason = StringEnum([...DRIVER_REASONS, ...VEHICLE_REASONS, ...SUBCONTRACTOR_REASONS], { $id: 'UnavailabilityReason' });

export const ResourceUnavailabilityInput = Type.Object(
  {
    start_time: DateTime,
    end_time: opt(DateTime),
    reason: ref(UnavailabilityReason),
    description: opt(Str(2000)),
    external_id: opt(Str(255)),
  },
  {
    $id: 'ResourceUnavailabilityInput',
    description:
      'A period a resource cannot be planned. No `end_time` (or null) leaves it open-ended; an `end_time` must be after `start_time`. PUT replaces the whole period.',
    examples: [
      { start_time: '2026-12-24T00:00:00Z', end_time: '2026-12-27T00:00:00Z', reason: 'DRIVER_HOLIDAY', description: 'Christmas', external_id: 'HR-2026-117' },
    ],
  },
);
export type ResourceUnavailabilityInput = Static<typeof ResourceUnavailabilityInput>;

const outputFields = {
  id: Uuid,
  start_time: DateTime,
  end_time: Nullable(DateTime),
  reason: ref(UnavailabilityReason),
  description: Nullable(Type.String()),
  external_id: Nullable(Type.String()),
  resource_id: Uuid,
  timestamp_updated: DateTime,
};
const example = {
  id: '5c9e2f1a-7b3d-4e6f-9a8b-1c2d3e4f5a6b',
  start_time: '2026-12-24T00:00:00.000Z',
  end_time: '2026-12-27T00:00:00.000Z',
  reason: 'DRIVER_HOLIDAY',
  description: 'Christmas',
  external_id: 'HR-2026-117',
  resource_id: '2b7e4c1a-9d3f-4a5b-8c6d-7e8f9a0b1c2d',
  timestamp_updated: '2026-11-30T10:15:00.000Z',
};

export const ResourceUnavailabilityOutput = Type.Object(outputFields, {
  $id: 'ResourceUnavailabilityOutput',
  description: "The contract's period plus `resource_id` and `timestamp_updated` (Waybill extensions).",
  examples: [example],
});
export type ResourceUnavailabilityOutput = Static<typeof ResourceUnavailabilityOutput>;

export const ListResourceUnavailabilityOutput = Page(ref(ResourceUnavailabilityOutput), 'ListResourceUnavailabilityOutput', [
  { items: [example], next_cursor: null },
]);

/** One entry of the tenant-wide change feed: the period as it is now, or its tombstone. */
export const UnavailabilityChange = Type.Object(
  { ...outputFields, deleted: Type.Boolean({ description: 'true: the period was deleted; the other fields are its last state.' }), version: Type.Integer() },
  { $id: 'UnavailabilityChange', examples: [{ ...example, deleted: false, version: 1 }] },
);
export const ListUnavailabilityChanges = Page(ref(UnavailabilityChange), 'ListUnavailabilityChanges', [
  { items: [{ ...example, deleted: true, version: 3 }], next_cursor: null },
]);

export const UnavailabilityWindowQuery = Type.Object({
  start_time: Type.Optional(DateTime),
  end_time: Type.Optional(DateTime),
  ...PageQuery,
});
export const UnavailabilityFeedQuery = Type.Object({ updated_after: Type.Optional(DateTime), ...PageQuery });
export const UnavailabilityParams = Type.Object({ resource_id: Uuid, id: Uuid });

export const unavailabilitySchemas = [
  UnavailabilityReason,
  ResourceUnavailabilityInput,
  ResourceUnavailabilityOutput,
  ListResourceUnavailabilityOutput,
  UnavailabilityChange,
  ListUnavailabilityChanges,
];
