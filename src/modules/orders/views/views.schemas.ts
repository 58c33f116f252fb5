import { Type, type Static } from '@sinclair/typebox';
import { CompanyDetailOutput } from '../../companies/index.js';
import { DateOnly, DateTime, FreeObject, Nullable, opt, Page, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { StringEnum } from '../../../platform/http/enum.js';
import { ORDER_STATUSES, STOP_STATUSES } from '../status/status.policy.js';
import { OrderUpdatePayload, PartialOrderUpdateResponse } from '../partial/partial.schemas.js';
import {
  ConsignmentInput,
  GoodInput,
  LocationInput,
  PackagedItemInput,
  OrderImport,
  OrderImportResponse,
  OrderInput,
  StopInput,
  TimeWindowInput,
  orderHeaderFields,
} from '../orders.schemas.js';

/**
 * Order outputs (`OrderOutput`, `OrderWithStatus`, export). Responses are serialized through these
 * schemas, so every field a client should see is declared here; Waybill's additions (`name`,
 * `status`, stop `stop_type`/`sequence`) are extra fields the contract allows.
 */

const { location: _location, time_window: _timeWindow, ...stopInputFields } = StopInput.properties;

const StopOutputFields = {
  ...stopInputFields,
  id: Uuid,
  consignment_id: Nullable(Uuid),
  stop_type: Type.String({ description: 'Waybill: PICKUP, DELIVERY or CUSTOM.' }),
  sequence: Type.Integer({ description: "Waybill: position in the order's visiting sequence, from 0." }),
  status: StringEnum(STOP_STATUSES),
  location: Type.Object(LocationInput.properties),
  time_window: Nullable(Type.Object(TimeWindowInput.properties)),
  start_timestamp: Nullable(DateTime),
  end_timestamp: Nullable(DateTime),
  custom_fields: FreeObject(),
};

export const OrderStopOutput = Type.Object(StopOutputFields, { $id: 'OrderStopOutput' });
export type OrderStopOutput = Static<typeof OrderStopOutput>;

const { pickup_stop: _p, delivery_stop: _d, goods: _g, buyer: _b, seller: _s, ...consignmentInputFields } = ConsignmentInput.properties;

/** A packaged item as output: the input's fields, with the id the import gave it. */
export const PackagedItemOutput = Type.Object({ ...PackagedItemInput.properties, id: Uuid, custom_fields: FreeObject() });

const { packaged_items: _packagedInput, ...goodFields } = GoodInput.properties;
export const GoodOutput = Type.Object({ ...goodFields, id: Uuid, custom_fields: FreeObject(), packaged_items: Type.Array(PackagedItemOutput) });
export type GoodOutput = Static<typeof GoodOutput>;

export const OrderConsignmentOutput = Type.Object(
  {
    ...consignmentInputFields,
    id: Uuid,
    pickup_stop: ref(OrderStopOutput),
    delivery_stop: ref(OrderStopOutput),
    goods: Type.Array(GoodOutput),
    signatures: Type.Array(FreeObject()),
    custom_fields: FreeObject(),
  },
  { $id: 'OrderConsignmentOutput' },
);
export type OrderConsignmentOutput = Static<typeof OrderConsignmentOutput>;

const { pricing: _pricing, setup_stops: _setup, teardown_stops: _teardown, container_load_unload_stop: _legacy, ...headerOutputFields } = orderHeaderFields;

const orderOutputFields = {
  ...headerOutputFields,
  id: Uuid,
  name: Type.String({ description: "Waybill: the order's human name (OR-000001), usable as a match key." }),
  order_identifier: Type.String(),
  status: StringEnum(ORDER_STATUSES, { description: 'Derived from the stops.' }),
  customer: ref(CompanyDetailOutput),
  consignments: Type.Array(ref(OrderConsignmentOutput)),
  stops: Type.Array(ref(OrderStopOutput)),
  start_stop: Nullable(ref(OrderStopOutput)),
  end_stop: Nullable(ref(OrderStopOutput)),
  pricing: Nullable(
    Type.Object({
      requested_price: opt(Type.Union([Type.String(), Type.Number()])),
      currency: Nullable(Type.String()),
      total_excl_tax: Nullable(Type.String()),
      total_incl_tax: Nullable(Type.String()),
      total_tax: Nullable(Type.String()),
    }),
  ),
  created_by_user: Nullable(Type.String()),
  created_timestamp: DateTime,
  updated_timestamp: DateTime,
  quote_name: Nullable(Type.String()),
};

export const OrderOutput = Type.Object(orderOutputFields, { $id: 'OrderOutput' });
export type OrderOutput = Static<typeof OrderOutput>;

export const OrderWithStatus = Type.Object(
  {
    ...orderOutputFields,
    first_pickup_stop: Nullable(ref(OrderStopOutput)),
    last_delivery_stop: Nullable(ref(OrderStopOutput)),
  },
  { $id: 'OrderWithStatus' },
);
export type OrderWithStatus = Static<typeof OrderWithStatus>;

/** `OrderInput`-shaped, minus the operation the importer chooses: a template for a new upload. */
export const OrderExport = Type.Object(
  { ...OrderInput.properties, operation: Type.Optional(Type.String()), customer: Type.Object(OrderInput.properties.customer.properties) },
  { $id: 'OrderExport' },
);
export type OrderExport = Static<typeof OrderExport>;

export const OrderSummary = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    order_identifier: Type.String(),
    customer_reference_number: Nullable(Type.String()),
    status: StringEnum(ORDER_STATUSES),
    customer: Type.Object({ id: Uuid, code: Nullable(Type.String()), name: Type.String() }),
    first_pickup_date: Nullable(DateOnly),
    last_delivery_date: Nullable(DateOnly),
    created_timestamp: DateTime,
    updated_timestamp: DateTime,
  },
  { $id: 'OrderSummary' },
);
export type OrderSummary = Static<typeof OrderSummary>;

export const ListOrderOutput = Page(ref(OrderSummary), 'ListOrderOutput');

export const ordersSchemas = [
  StopInput,
  GoodInput,
  ConsignmentInput,
  OrderUpdatePayload,
  PartialOrderUpdateResponse,
  OrderInput,
  OrderImport,
  OrderImportResponse,
  OrderStopOutput,
  OrderConsignmentOutput,
  OrderOutput,
  OrderWithStatus,
  OrderExport,
  OrderSummary,
  ListOrderOutput,
];
