import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { ErrorStatus, FreeObject, Nullable, opt, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { ConsignmentInput, Entity, GoodInput, LocationInput, StopInput, orderHeaderFields } from '../orders.schemas.js';

/**
 * `POST /v1/webhook/partial-order-update`: nested match/update levels (order → consignment →
 * stop / good → handling unit). Each level may match its target, update it, and carry
 * `question_answers` (documents).
 */

const MatchAny = Type.Object({ matches_any: Type.Array(Str(255), { minItems: 1, maxItems: 50 }) });
const matchTarget = <T extends TSchema>(entry: T) => Type.Object({ matches_all: Type.Array(entry, { maxItems: 10 }) });
const updatesOf = <T extends TSchema>(update: T, maxItems: number) => Type.Object({ updates: opt(Type.Array(update, { maxItems })) });

/**
 * Fields the contract's update data declares that Waybill keeps as given. Declared with their types
 * so that a wrong-typed value is refused, as the contract's schema refuses it, instead of being
 * stored and never shown.
 */
const ExternalId = { external_id: opt(Str(255)) };
const contractExtras = (strings: string[], objects: string[]) => ({
  ...ExternalId,
  ...Object.fromEntries(strings.map((name) => [name, opt(Str(255))])),
  ...Object.fromEntries(objects.map((name) => [name, opt(FreeObject())])),
});
const Barcode = Type.Object({ value: opt(Str(255)), source: Type.Optional(Str(100)) });

/** Keyed by question path; a documents answer is a list of remote or embedded documents. */
const QuestionAnswers = Type.Record(Str(255), Type.Unknown(), { description: 'Question path → answer; document answers attach files.' });

const HandlingUnitUpdate = Type.Object({
  match: opt(matchTarget(Type.Object({ handling_unit: opt(Type.Object({ barcode: opt(MatchAny) })) }))),
  question_answers: Type.Optional(QuestionAnswers),
  update: opt(
    Type.Object({
      operation: StringEnum(['REPLACE', 'CREATE', 'UPDATE', 'DELETE']),
      data: opt(Type.Object({ ...ExternalId, barcode: opt(Barcode), alternative_barcodes: opt(Type.Array(Barcode, { maxItems: 20 })) })),
    }),
  ),
});

/** A stop's fields in an update: any may be left out, and null (even for `location`) changes nothing. */
const { location: _location, ...stopFields } = StopInput.properties;
const StopData = Type.Object({ ...stopFields, location: opt(Type.Object(LocationInput.properties)), ...contractExtras([], ['stop_type', 'stop_activity']) });

const GoodUpdate = Type.Object({
  match: opt(matchTarget(Type.Object({ good: opt(Type.Object({ id: opt(MatchAny) })) }))),
  handling_unit: opt(updatesOf(HandlingUnitUpdate, 1000)),
  question_answers: Type.Optional(QuestionAnswers),
  update: opt(
    Type.Object({
      operation: StringEnum(['REPLACE', 'CREATE', 'UPDATE', 'DELETE']),
      data: opt(Type.Object({ ...GoodInput.properties, ...contractExtras([], ['commodity_type']) })),
    }),
  ),
});

const StopUpdate = Type.Object({
  match: opt(matchTarget(Type.Object({ stop: opt(Type.Object({ reference_number: opt(MatchAny), stop_type: opt(StringEnum(['PICKUP', 'DELIVERY'])) })) }))),
  question_answers: Type.Optional(QuestionAnswers),
  update: opt(Type.Object({ operation: StringEnum(['CREATE', 'UPDATE', 'DELETE']), data: opt(StopData) })),
});

const { pickup_stop: _pickup, delivery_stop: _delivery, goods: _goods, standalone_stops: _standalone, ...consignmentFields } = ConsignmentInput.properties;
const ConsignmentData = Type.Object({
  ...consignmentFields,
  pickup_stop: opt(StopData),
  delivery_stop: opt(StopData),
  goods: opt(Type.Array(ref(GoodInput), { maxItems: 200 })),
  standalone_stops: opt(Type.Array(StopData, { maxItems: 100 })),
  ...contractExtras(
    ['shipper_name', 'shipper_reference_number', 'buyer_eori_number', 'seller_eori_number'],
    ['palletxpress_ie', 'tpn', 'pallet_track', 'palletways', 'project44', 'hazchem', 'consignee_signature', 'consignor_signature'],
  ),
});

const ConsignmentUpdate = Type.Object({
  match: opt(
    matchTarget(
      Type.Object({
        consignment: opt(
          Type.Object({
            reference_number: opt(MatchAny),
            // No lower bound, as in the contract: 0 is no position (like null), a negative one names no consignment.
            order_sequence_number: opt(
              Type.Integer({
                maximum: 1_000_000,
                description: 'Position in the order, from 1. 0, like null, gives no position: the other criteria (or the only consignment) decide.',
              }),
            ),
          }),
        ),
      }),
    ),
  ),
  good: opt(updatesOf(GoodUpdate, 200)),
  stop: opt(updatesOf(StopUpdate, 20)),
  question_answers: Type.Optional(QuestionAnswers),
  update: opt(Type.Object({ operation: StringEnum(['CREATE', 'UPDATE', 'DELETE']), data: opt(ConsignmentData) })),
});

const { setup_stops: _s, teardown_stops: _t, container_load_unload_stop: _c, ...headerFields } = orderHeaderFields;

export const PartialOrderUpdate = Type.Object({
  match: opt(
    matchTarget(
      Type.Object({
        order: opt(Type.Object({ customer_reference_number: opt(MatchAny), name: opt(MatchAny), id: opt(MatchAny) })),
        company: opt(Type.Object({ name: opt(MatchAny), code: opt(MatchAny) })),
      }),
    ),
  ),
  id: opt(Uuid),
  consignment: opt(updatesOf(ConsignmentUpdate, 100)),
  question_answers: Type.Optional(QuestionAnswers),
  update: opt(
    Type.Object({
      operation: StringEnum(['UPDATE', 'DELETE']),
      data: opt(
        Type.Object({
          ...headerFields,
          customer: opt(Type.Object({ name: opt(Str(255)), code: opt(Str(100)), row_id: opt(Str(36)) })),
          order_group: opt(Entity),
          ...contractExtras(['origin_country_of_goods', 'destination_country_of_goods'], ['planning_group', 'chep', 'project44', 'shippeo', 'manuport']),
        }),
      ),
    }),
  ),
});
export type PartialOrderUpdate = Static<typeof PartialOrderUpdate>;
export type ConsignmentUpdate = Static<typeof ConsignmentUpdate>;
export type StopUpdate = Static<typeof StopUpdate>;
export type GoodUpdate = Static<typeof GoodUpdate>;
export type HandlingUnitUpdate = Static<typeof HandlingUnitUpdate>;
export type QuestionAnswers = Static<typeof QuestionAnswers>;

export const OrderUpdatePayload = Type.Object({ updates: Type.Array(PartialOrderUpdate, { maxItems: 100 }) }, { $id: 'OrderUpdatePayload' });
export type OrderUpdatePayload = Static<typeof OrderUpdatePayload>;

export const PartialOrderUpdateResponse = Type.Object(
  {
    errors: Type.Array(ErrorStatus, { description: 'One entry per update that was not applied; that update changed nothing.' }),
    results: Type.Array(
      Type.Object({
        index: Type.Integer(),
        outcome: StringEnum(['UPDATED', 'UNCHANGED', 'ERROR']),
        order_id: Nullable(Uuid),
        order_name: Nullable(Type.String()),
      }),
      { description: 'Waybill: what happened to each update, in request order.' },
    ),
  },
  { $id: 'PartialOrderUpdateResponse' },
);
export type PartialOrderUpdateResponse = Static<typeof PartialOrderUpdateResponse>;
