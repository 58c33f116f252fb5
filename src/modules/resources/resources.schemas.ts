import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/enum.js';
import { DateOnly, DateTime, DecimalInput, FreeObject, Nullable, opt, Page, PageQuery, Str, Uuid } from '../../platform/http/schemas.js';
import { ref } from '../../platform/http/types.js';
import { RESOURCE_TYPE_ENUM, VARIANTS } from './resources.mapping.js';

const ResourceType = StringEnum(Object.values(VARIANTS), { description: 'The variant, as ResourceTypeEnum names it (a truck is RIGID). Waybill extension.' });
const ResourceTypeFilter = StringEnum(RESOURCE_TYPE_ENUM);

const MOTOR_AXLES = ['AC_4_X_2', 'AC_4_X_4', 'AC_6_X_2', 'AC_6_X_4', 'AC_6_X_6', 'AC_8_X_2', 'AC_8_X_4', 'AC_8_X_6', 'AC_10_X_4', 'AC_12_X_4'] as const;
const TRAILER_AXLES = ['AC_12_TRAILER', 'AC_10_TRAILER', 'AC_8_TRAILER', 'AC_6_TRAILER', 'AC_4_TRAILER', 'AC_2_TRAILER'] as const;

/**
 * The variants' sub-objects, built twice from one description: for input, measures are numbers or
 * decimal strings; for output, decimal strings.
 */
function variantProperties(measure: typeof DecimalInput | ReturnType<typeof Type.String>) {
  const m = () => opt(measure);
  const dimensions = { tare_weight_kg: m(), exterior_length_m: m(), exterior_width_m: m(), exterior_height_m: m() };
  const identity = { license_plate: opt(Str(20)), vin_number: opt(Str(17)), manufacturer: opt(Str(100)), model: opt(Str(100)) };
  const capacities = { capacity_pallet_spaces: m(), capacity_volume_m3: m(), capacity_weight_kg: m(), gross_weight_vehicle_rating_weight_kg: m() };
  const motor = {
    ...dimensions,
    ...identity,
    axle_configuration: opt(StringEnum(MOTOR_AXLES)),
    emission_class: opt(StringEnum(['EURO_1', 'EURO_2', 'EURO_3', 'EURO_4', 'EURO_5', 'EURO_6'])),
    fuel_type: opt(StringEnum(['DIESEL', 'BIOFUELS', 'LPG', 'ELECTRIC', 'HYBRID_ELECTRIC'])),
  };
  const trailer = { ...dimensions, ...identity, ...capacities, axle_configuration: opt(StringEnum(TRAILER_AXLES)) };
  const truck = { ...motor, ...capacities, roof_type: opt(StringEnum(['CLOSED', 'OPEN', 'FLATBED'])) };
  const { capacity_pallet_spaces: _p, capacity_volume_m3: _v, capacity_weight_kg: _w, ...chassis } = trailer;
  const object = (properties: TProperties) => opt(Type.Object(properties));
  return {
    driver: object({
      first_name: opt(Str(100)),
      last_name: opt(Str(100)),
      email_address: opt(Str(320, { format: 'email' })),
      date_of_birth: opt(DateOnly),
      phone_number: opt(Str(32)),
      start_stop_location: opt(Type.Object({ id: Uuid })),
    }),
    tractor: object(motor),
    truck: object(truck),
    van: object(truck),
    trailer: object(trailer),
    full_trailer: object(trailer),
    chassis: object(chassis),
    container: object({
      container_number: opt(Str(20)),
      manufacturer: opt(Str(100)),
      standard_size: opt(StringEnum(['FEET_20', 'FEET_23', 'FEET_24', 'FEET_25', 'FEET_26', 'FEET_30', 'FEET_35', 'FEET_40', 'FEET_45'])),
      iso_code: opt(Str(4)),
    }),
  };
}

const commonInput = {
  external_id: opt(Str(255, { minLength: 1, description: 'Your id for the resource; unique per tenant.' })),
  code: opt(Str(100)),
  note: opt(Str(5000)),
  locale: opt(Str(5, { pattern: '^[a-z]{2}(-[A-Z]{2})?$' })),
  custom_fields: Type.Optional(FreeObject()),
  subcontractor: opt(Type.Object({ row_id: Uuid }, { description: 'The subcontractor company the resource belongs to.' })),
  billing_entity: opt(Type.Object({ code: Str(100) })),
  extras: opt(Type.Array(Type.Object({ code: Str(100) }), { maxItems: 50, description: 'Replaces the list when sent; [] clears it.' })),
  integrations: opt(Type.Record(Str(100), FreeObject(), { description: "Per integration code, that integration's data about the resource." })),
  resource_type: Type.Optional(ResourceType),
};

const resourceExample = {
  name: 'Volvo FH 1-ABC-123',
  external_id: 'FLEET-0042',
  resource_type: 'RIGID',
  truck: { license_plate: '1-ABC-123', manufacturer: 'Volvo', model: 'FH', capacity_pallet_spaces: 18, capacity_weight_kg: '12000.5', fuel_type: 'DIESEL' },
  extras: [{ code: 'TAIL_LIFT' }],
  integrations: { telematics: { active: true, object_id: '1234' } },
};

export const ResourceInput = Type.Object(
  { name: Str(255, { minLength: 1 }), ...commonInput, ...variantProperties(DecimalInput) },
  {
    $id: 'ResourceInput',
    description:
      "Any of the contract's eight resource inputs: the variant is the one sub-object sent (driver, tractor, truck, van, trailer, full_trailer, chassis or container).",
    examples: [resourceExample],
  },
);
export type ResourceInput = Static<typeof ResourceInput>;

export const PartialResourceInput = Type.Object(
  {
    name: opt(Str(255, { minLength: 1 })),
    ...commonInput,
    ...variantProperties(DecimalInput),
    resource_group: Type.Optional(Nullable(Type.Object({ id: Uuid }))),
    is_active: Type.Optional(Type.Boolean({ description: 'true reactivates an archived resource (Waybill extension).' })),
  },
  {
    $id: 'PartialResourceInput',
    description:
      "Changes to a resource: fields sent replace the stored ones (inside the variant's sub-object, field by field). `resource_group` null removes the resource from its groups.",
    examples: [{ note: 'Back from the garage', truck: { emission_class: 'EURO_6' }, resource_group: { id: '6d0f4b9e-2c1a-4e8b-9f3d-5a7c1e2b3d4f' } }],
  },
);
export type PartialResourceInput = Static<typeof PartialResourceInput>;

const GroupFields = { id: Uuid, name: Nullable(Type.String()), code: Nullable(Type.String()) };
export const ResourceGroupOutput = Type.Object(GroupFields, {
  $id: 'ResourceGroupOutput',
  examples: [{ id: '6d0f4b9e-2c1a-4e8b-9f3d-5a7c1e2b3d4f', name: 'Night shift', code: 'NIGHT' }],
});

const exampleOutput = {
  ...resourceExample,
  row_id: '2b7e4c1a-9d3f-4a5b-8c6d-7e8f9a0b1c2d',
  code: null,
  note: null,
  locale: null,
  custom_fields: {},
  subcontractor: null,
  billing_entity: null,
  truck: { license_plate: '1-ABC-123', manufacturer: 'Volvo', model: 'FH', capacity_pallet_spaces: '18', capacity_weight_kg: '12000.5', fuel_type: 'DIESEL' },
  extras: [{ id: '0e6a1b2c-3d4e-5f60-8172-8394a5b6c7d8', code: 'TAIL_LIFT', name: 'TAIL_LIFT' }],
  is_active: true,
  is_external_resource: false,
  timestamp_updated: '2026-11-30T10:15:00.000Z',
  resource_groups: [],
};

export const ResourceOutput = Type.Object(
  {
    row_id: Uuid,
    name: Type.String(),
    resource_type: ResourceType,
    external_id: Nullable(Type.String()),
    code: Nullable(Type.String()),
    note: Nullable(Type.String()),
    locale: Nullable(Type.String()),
    custom_fields: FreeObject(),
    subcontractor: Nullable(Type.Object({ row_id: Uuid })),
    integrations: Nullable(Type.Record(Type.String(), FreeObject())),
    billing_entity: Type.Null({ description: 'Billing entities are not modelled by Waybill yet.' }),
    extras: Type.Array(Type.Object({ id: Uuid, code: Type.String(), name: Type.String() })),
    is_active: Type.Boolean(),
    is_external_resource: Type.Boolean(),
    timestamp_updated: DateTime,
    resource_groups: Type.Array(ref(ResourceGroupOutput)),
    ...variantProperties(Type.String()),
  },
  {
    $id: 'ResourceOutput',
    description:
      "Any of the contract's eight resource outputs: the id is `row_id`, measures are decimal strings, and only the variant's sub-object is present.",
    examples: [exampleOutput],
  },
);
export type ResourceOutput = Static<typeof ResourceOutput>;

export const ListResourceOutput = Page(ref(ResourceOutput), 'ListResourceOutput', [{ items: [exampleOutput], next_cursor: null }]);
export const ListResourceGroupOutput = Page(ref(ResourceGroupOutput), 'ListResourceGroupOutput', [{ items: ResourceGroupOutput.examples, next_cursor: null }]);

const commaList = (description: string) => Type.String({ maxLength: 4000, pattern: '^[^,]+(,[^,]+)*$', description });
export const ResourceListQuery = Type.Object({
  updated_after: Type.Optional(DateTime),
  external_id: Type.Optional(Str(255, { minLength: 1 })),
  'external_id:in': Type.Optional(commaList('Comma-separated external ids (at most 100).')),
  resource_type: Type.Optional(ResourceTypeFilter),
  'resource_type:in': Type.Optional(commaList('Comma-separated ResourceTypeEnum values.')),
  q: Type.Optional(
    Str(100, { minLength: 1, description: 'Search (Waybill): only resources whose name, code, external id or licence plate contains this, in any case.' }),
  ),
  ...PageQuery,
});
export type ResourceListQuery = Static<typeof ResourceListQuery>;

export const ResourceParams = Type.Object({ resource_id: Uuid });

export const ResourceGroupInput = Type.Object(
  { name: Str(255, { minLength: 1 }), code: opt(Str(100, { minLength: 1 })) },
  { $id: 'ResourceGroupInput', examples: [{ name: 'Night shift', code: 'NIGHT' }] },
);
export type ResourceGroupInput = Static<typeof ResourceGroupInput>;

/** The most records one bulk create takes: one transaction, one answer, well within the JSON body limit for usual records. */
export const BULK_MAX = 500;

export const ResourceBulkInput = Type.Object(
  {
    records: Type.Array(ref(ResourceInput), {
      minItems: 1,
      maxItems: BULK_MAX,
      description: 'The resources to create, each as POST /v1/resources/resource takes it.',
    }),
  },
  {
    $id: 'ResourceBulkInput',
    examples: [
      {
        records: [
          { name: 'Truck 12', external_id: 'FLEET-12', truck: {} },
          { name: 'Dana Smith', external_id: 'HR-7', driver: { first_name: 'Dana' } },
        ],
      },
    ],
  },
);

export const ResourceBulkOutput = Type.Object(
  {
    results: Type.Array(
      Type.Object({
        index: Type.Integer({ description: 'Position of the record in `records`.' }),
        status: Type.Integer({ description: 'What POST /v1/resources/resource would have answered: 200, or 400 / 409.' }),
        record: Type.Optional(ref(ResourceOutput)),
        error: Type.Optional(Type.Ref('ValidationErrorResponse')),
      }),
      { description: 'One result per record, in the order sent.' },
    ),
  },
  {
    $id: 'ResourceBulkOutput',
    examples: [
      {
        results: [
          {
            index: 0,
            status: 409,
            error: {
              message: 'A resource with external_id "FLEET-12" already exists',
              errors: [{ message: 'external_id must be unique', field: 'external_id', path: 'body.external_id', detail: null }],
            },
          },
        ],
      },
    ],
  },
);

export const resourceSchemas: TObject[] = [
  ResourceInput,
  PartialResourceInput,
  ResourceGroupOutput,
  ResourceOutput,
  ListResourceOutput,
  ListResourceGroupOutput,
  ResourceGroupInput,
  ResourceBulkInput,
  ResourceBulkOutput,
];
