import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/enum.js';
import { DateOnly, DecimalInput, ErrorStatus, FreeObject, Nullable, opt, Str, UTC_OFFSET, Uuid } from '../../platform/http/schemas.js';
import { ref } from '../../platform/http/types.js';
import { LocationFields } from '../companies/index.js';

/**
 * Wire schemas of order input (the contract's `OrderInput` and its parts). Objects stay open
 * (no `additionalProperties: false`): integrators send documented extras and partner blocks that
 * the contract itself does not list, and an order must not bounce for them.
 */

const Measure = Type.Number({ minimum: -1_000_000, maximum: 1_000_000_000 });
/** `HH:mm` or `HH:mm:ss`, an optional offset; a local time at the stop unless an offset is given. */
const TimeOfDay = Str(20, { pattern: `^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,6})?)?${UTC_OFFSET}?$` });
const FreeList = (maxItems: number) => Type.Array(FreeObject(), { maxItems });

export const OperationEnum = StringEnum(['CREATE', 'UPDATE', 'DELETE']);
export const OrderKind = StringEnum(['QUOTE', 'TO_PLAN']);
export const StopActivity = StringEnum(['PICKUP', 'DELIVERY', 'CUSTOM', 'COLLECT_EMPTY_CONTAINER', 'PICKUP_EXPORT', 'DELIVERY_EXPORT']);

export const Entity = Type.Object({ name: opt(Str(255)), code: opt(Str(100)) });

export const LocationInput = Type.Object({
  ...LocationFields,
  id: opt(Uuid),
  latitude: opt(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: opt(Type.Number({ minimum: -180, maximum: 180 })),
  description: opt(Str(2000)),
  location_identifier: opt(Str(255)),
});

export const TimeWindowInput = Type.Object({
  code: opt(Str(100)),
  name: opt(Str(255)),
  start_time: opt(TimeOfDay),
  end_time: opt(TimeOfDay),
  is_enforced: opt(Type.Boolean()),
  use_location_opening_hours: opt(Type.Boolean()),
  custom_fields: opt(FreeObject()),
});

export const StopInput = Type.Object(
  {
    location: LocationInput,
    date: opt(DateOnly),
    time_window: opt(TimeWindowInput),
    reference_number: opt(Str(255)),
    note: opt(Str(5000)),
    planning_instructions: opt(Str(5000)),
    email: opt(Str(320)),
    phone_number: opt(Str(50)),
    mobile_number: opt(Str(50)),
    activity_label: opt(Str(255)),
    custom_activity_label: opt(Str(255)),
    duration: opt(Type.Integer({ minimum: 0, maximum: 7 * 24 * 3600, description: 'Seconds spent at the stop.' })),
    extras: opt(Type.Array(Type.Object({ code: opt(Str(100)), name: opt(Str(255)) }), { maxItems: 50 })),
    custom_fields: opt(FreeObject()),
    drop_collect_empty: opt(FreeObject()),
    activity: opt(StopActivity),
    custom_activity: opt(Str(255)),
    position: opt(Type.Object({ position: opt(Type.Integer({ minimum: 0, maximum: 10_000 })), optimal: opt(Type.Boolean()) })),
  },
  // Named, so the several places a stop appears share one compiled validator.
  { $id: 'OrderStopInput' },
);
export type StopInput = Static<typeof StopInput>;

/** An item packed in a good (the contract's `PackagedItem`): ADR details, barcodes, weights. */
export const PackagedItemInput = Type.Object({
  id: opt(Uuid),
  adr: opt(FreeObject()),
  barcodes: opt(Type.Array(Str(255), { maxItems: 100 })),
  custom_fields: opt(FreeObject()),
  import_export: opt(FreeObject()),
  packaging_type: opt(FreeObject()),
  quantity: opt(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  total_net_weight_kg: opt(Measure),
  total_volume_l: opt(Measure),
  total_weight_kg: opt(Measure),
  unit_height_m: opt(Measure),
  unit_length_m: opt(Measure),
  unit_width_m: opt(Measure),
});

export const GoodInput = Type.Object(
  {
    description: opt(Str(2000)),
    quantity: opt(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
    total_loading_meters: opt(Measure),
    total_pallet_spaces: opt(Measure),
    total_volume_m3: opt(Measure),
    total_weight_kg: opt(Measure),
    unit_height_m: opt(Measure),
    unit_length_m: opt(Measure),
    unit_loading_meters: opt(Measure),
    unit_pallet_spaces: opt(Measure),
    unit_weight_kg: opt(Measure),
    unit_width_m: opt(Measure),
    stackable: opt(Type.Boolean()),
    packaged_items: Type.Optional(Type.Array(PackagedItemInput, { maxItems: 500 })),
    adr_type: opt(StringEnum(['ADR', 'LIMITED_QUANTITY'])),
    absolute_min_temperature_degrees: opt(Measure),
    absolute_max_temperature_degrees: opt(Measure),
    ordered_transport_temperature_degrees: opt(Measure),
    specific_gravity: opt(Measure),
    product: opt(FreeObject()),
    packaging_type: opt(FreeObject()),
    extras: opt(FreeList(50)),
    custom_fields: opt(FreeObject()),
    handling_units: opt(FreeList(1000)),
  },
  { $id: 'OrderGoodInput' },
);
export type GoodInput = Static<typeof GoodInput>;

export const ConsignmentInput = Type.Object(
  {
    pickup_stop: ref(StopInput),
    delivery_stop: ref(StopInput),
    goods: opt(Type.Array(ref(GoodInput), { maxItems: 200 })),
    consignment_reference_number: opt(Str(255)),
    cmr_reference_number: opt(Str(255)),
    planning_instructions: opt(Str(5000)),
    custom_fields: opt(FreeObject()),
    transport_network: opt(FreeObject()),
    central_transport_network: opt(FreeObject()),
    palletline: opt(FreeObject()),
    palletforce: opt(FreeObject()),
    transporeon: opt(FreeObject()),
    import_export: opt(FreeObject()),
    buyer: opt(Entity),
    seller: opt(Entity),
    standalone_stops: opt(FreeList(100)),
  },
  { $id: 'OrderConsignmentInput' },
);
export type ConsignmentInput = Static<typeof ConsignmentInput>;

/** The order header: every field except the key, the operation, the customer and the consignments. */
export const orderHeaderFields = {
  transport_service: opt(Entity),
  transport_network: opt(Entity),
  service_level: opt(Type.Object({ name: opt(Str(255)), code: opt(Str(100)), custom_fields: opt(FreeObject()) })),
  import_configuration: opt(Type.Object({ code: opt(Str(100)) })),
  customer_reference_number: opt(Str(255)),
  planning_instructions: opt(Str(5000)),
  department: opt(Entity),
  neutral_order_type: opt(StringEnum(['NO_NEUTRAL_ORDER', 'MASK_DELIVERY', 'MASK_PICKUP'])),
  container: opt(FreeObject()),
  custom_fields: opt(FreeObject()),
  vehicle_category: opt(FreeObject()),
  palletforce: opt(FreeObject()),
  kuehne_nagel: opt(FreeObject()),
  palletline: opt(FreeObject()),
  transporeon: opt(FreeObject()),
  dachser: opt(FreeObject()),
  contact_emails: opt(Type.Array(Str(320), { maxItems: 50 })),
  import_export: opt(FreeObject()),
  is_consignment_info_validated: opt(Type.Boolean()),
  pricing: opt(Type.Object({ requested_price: opt(DecimalInput) })),
  input_source: opt(Str(255)),
  setup_stops: opt(Type.Array(ref(StopInput), { maxItems: 20 })),
  teardown_stops: opt(Type.Array(ref(StopInput), { maxItems: 20 })),
  container_load_unload_stop: opt(ref(StopInput)),
};

export const OrderInput = Type.Object(
  {
    operation: OperationEnum,
    order_identifier: Str(255, { minLength: 1, description: 'Your key for the order; unique per customer.' }),
    customer: Type.Optional(
      Type.Object(Entity.properties, {
        anyOf: [{ required: ['code'] }, { required: ['name'] }],
        description: 'The customer company, by `code` or else by `name`; a CUSTOMER client may leave it out (its own company).',
      }),
    ),
    order_status: Type.Optional(OrderKind),
    consignments: Type.Array(ref(ConsignmentInput), {
      maxItems: 100,
      description: 'At least one for CREATE and UPDATE; DELETE needs only the key and may send an empty list.',
    }),
    raw_input: opt(FreeObject()),
    ...orderHeaderFields,
  },
  {
    $id: 'OrderInput',
    // Stated in the schema so clients see the rule: an order to create or update has something to move.
    if: { properties: { operation: { const: 'DELETE' } } },
    else: { properties: { consignments: { type: 'array', minItems: 1 } } },
  },
);
export type OrderInput = Static<typeof OrderInput>;

export const OrderImport = Type.Object(
  {
    upload_id: Uuid,
    upload_status: StringEnum(['TODO', 'IN_PROGRESS', 'READY_TO_UPSERT', 'UPSERT_IN_PROGRESS', 'COMPLETED', 'ERROR', 'SKIPPED', 'DUPLICATE']),
    upload_url: Type.String(),
    order_id: Nullable(Uuid),
    order_url: Nullable(Type.String()),
    order_name: Nullable(Type.String({ description: "Waybill: the order's human name once it exists." })),
    errors: Type.Array(ErrorStatus, { description: 'Waybill: why the upload ended in ERROR; empty otherwise.' }),
  },
  { $id: 'OrderImport' },
);
export type OrderImport = Static<typeof OrderImport>;

export const OrderImportResponse = Type.Object(
  {
    errors: Type.Array(ErrorStatus),
    upload_id: Type.Optional(Uuid),
    upload_status: Type.Optional(Type.String()),
    order_id: Type.Optional(Nullable(Uuid)),
  },
  { $id: 'OrderImportResponse' },
);
export type OrderImportResponse = Static<typeof OrderImportResponse>;

export const UploadParams = Type.Object({ upload_id: Uuid });
export const OrderParams = Type.Object({ order_id: Uuid });

export const OrderListQuery = Type.Object({
  status: Type.Optional(StringEnum(['QUOTE', 'TO_PLAN', 'PLANNED', 'IN_TRANSIT', 'COMPLETED', 'CANCELLED'])),
  customer_code: Type.Optional(Str(100, { minLength: 1 })),
  updated_after: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  q: Type.Optional(
    Str(100, { minLength: 1, description: 'Search: part of the order name, order identifier or customer reference number, in any case (Waybill).' }),
  ),
  order: Type.Optional(StringEnum(['asc', 'desc'], { description: 'By last change: `asc` (default) oldest first, `desc` latest first (Waybill).' })),
  stop_date: Type.Optional({ ...DateOnly, description: 'Only orders with a stop requested on this date (YYYY-MM-DD).' } as typeof DateOnly),
  cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});
export type OrderListQuery = Static<typeof OrderListQuery>;
