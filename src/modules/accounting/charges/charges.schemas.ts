import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { DecimalColumnInput, Nullable, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';

export const ChargeApprovalStatus = StringEnum(['TO_REQUEST', 'REQUESTED', 'REJECTED_INTERNAL', 'REJECTED', 'APPROVED'], { $id: 'ChargeApprovalStatus' });
export type ChargeApprovalStatus = Static<typeof ChargeApprovalStatus>;
export const ChargeStatus = StringEnum(['CREATED', 'DO_NOT_INVOICE', 'INVOICED', 'INVOICED_EXTERNAL'], { $id: 'ChargeStatus' });
export const ChargeApprovalStatusInput = StringEnum(['APPROVED', 'REJECTED'], { $id: 'ChargeApprovalStatusInput' });

/** A tax rate named by id or by code (codes are the contract's way; ids are unambiguous across entities). */
export const TaxRateRef = Type.Object({ id: Type.Optional(Uuid), code: Type.Optional(Str(50, { minLength: 1 })) }, { minProperties: 1 });

const chargeFields = {
  code: Str(100, { minLength: 1, description: 'The price-list item code (what is charged: FREIGHT, WAITING_TIME...).' }),
  name: Type.Optional(Str(255, { minLength: 1, description: 'The line text on the invoice; the code when omitted.' })),
  description: Type.Optional(Nullable(Str(2000))),
  // numeric(18, 6) > 0 and numeric(20, 6) in order_charges.
  quantity: Type.Optional(DecimalColumnInput(12, 6, { sign: 'positive', description: 'How many units; more than 0, at most 6 decimals (1 when omitted).' })),
  unit_price: DecimalColumnInput(14, 6, { sign: 'any', description: 'The price of one unit without tax, at most 6 decimals; negative for a discount.' }),
  currency: Type.Optional(
    Type.String({
      pattern: '^[A-Z]{3}$',
      minLength: 3,
      maxLength: 3,
      description: 'The currency of the price (the customer’s when omitted); an invoice in another currency converts it at the recorded exchange rate.',
    }),
  ),
  tax_rate: TaxRateRef,
  account_code: Type.Optional(Nullable(Str(50))),
  discount_percentage: Type.Optional(
    Nullable(
      DecimalColumnInput(3, 4, {
        sign: 'positive',
        max: 100,
        description:
          'Waybill: a discount on this charge, in percent of quantity × unit price (more than 0, at most 100); the invoice line carries it as a line allowance (EN 16931 BG-27) and its amount is net of it.',
      }),
    ),
  ),
  discount_amount: Type.Optional(
    Nullable(
      DecimalColumnInput(14, 6, {
        sign: 'positive',
        description:
          'Waybill: a discount on this charge as an amount in the charge’s currency (more than 0, at most quantity × unit price, in the currency’s decimals), instead of `discount_percentage`; the invoice line carries it as a line allowance (EN 16931 BG-27) and its amount is net of it. Setting one of the two clears the other.',
      }),
    ),
  ),
  discount_reason: Type.Optional(
    Nullable(Str(255, { minLength: 1, description: 'Waybill: why the discount is given, printed on the invoice line (BT-139).' })),
  ),
  requires_approval: Type.Optional(Type.Boolean({ description: 'The customer must approve the charge before it can be invoiced.' })),
};

export const OrderChargeInput = Type.Object(chargeFields, {
  $id: 'OrderChargeInput',
  examples: [
    { code: 'WAITING_TIME', name: 'Waiting time at delivery', quantity: '1.5', unit_price: '45.00', tax_rate: { code: 'BE21' }, requires_approval: true },
  ],
});
export type OrderChargeInput = Static<typeof OrderChargeInput>;

export const OrderChargeChange = Type.Object(
  { ...Type.Partial(Type.Object(chargeFields)).properties },
  { $id: 'OrderChargeChange', minProperties: 1, examples: [{ quantity: '2', unit_price: '45.00' }] },
);
export type OrderChargeChange = Static<typeof OrderChargeChange>;

const chargeExample = {
  id: '5d2c6a1e-7f3b-4c2d-9e8a-1b0c3d4e5f60',
  order_id: '8e7d6c5b-4a39-4281-9f0e-d1c2b3a49586',
  code: 'WAITING_TIME',
  name: 'Waiting time at delivery',
  description: null,
  quantity: '1.5',
  unit_price: '45',
  amount_excl_tax: '67.50',
  currency: 'EUR',
  tax_rate: { id: '6b1e1f5c-92a4-4d47-b1b6-0e3cf0b6c111', code: 'BE21', name: 'VAT 21%', percentage: 21 },
  account: null,
  requires_approval: true,
  approval_status: 'APPROVED',
  status: 'CREATED',
  invoice_id: null,
};

export const ChargeWithApprovalOutput = Type.Object(
  {
    id: Uuid,
    order_id: Uuid,
    code: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    quantity: Type.String(),
    unit_price: Type.String(),
    amount_excl_tax: Type.String({ description: 'quantity × unit_price, rounded to the currency, less the discount.' }),
    discount_percentage: Type.Optional(Nullable(Type.String({ description: 'Waybill: the discount in percent of quantity × unit price.' }))),
    discount_amount: Type.Optional(Nullable(Type.String({ description: 'Waybill: the discount as an amount in the charge’s currency.' }))),
    discount_reason: Type.Optional(Nullable(Type.String())),
    currency: Type.String(),
    tax_rate: Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), percentage: Type.Number() }),
    account: Nullable(Type.Object({ code: Type.String() })),
    requires_approval: Type.Boolean(),
    approval_status: ref(ChargeApprovalStatus),
    approval_reason: Type.Optional(Nullable(Type.String({ description: 'Waybill: the reason the customer gave with its answer.' }))),
    status: ref(ChargeStatus),
    invoice_id: Nullable(Uuid),
  },
  { $id: 'ChargeWithApprovalOutput', examples: [chargeExample] },
);
export type ChargeWithApprovalOutput = Static<typeof ChargeWithApprovalOutput>;

export const OrderChargesOutput = Type.Object(
  { charges: Type.Array(ref(ChargeWithApprovalOutput)) },
  { $id: 'OrderChargesOutput', examples: [{ charges: [chargeExample] }] },
);
export type OrderChargesOutput = Static<typeof OrderChargesOutput>;

export const ChargesApprovalInput = Type.Object(
  {
    charges: Type.Array(
      Type.Object({
        id: Uuid,
        approval_status: Type.Optional(ref(ChargeApprovalStatusInput)),
        reason: Type.Optional(Str(500, { description: 'Waybill: why (a rejection’s reason, say); the carrier reads it on the charge as `approval_reason`.' })),
      }),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { $id: 'ChargesApprovalInput', examples: [{ charges: [{ id: chargeExample.id, approval_status: 'APPROVED' }] }] },
);
export type ChargesApprovalInput = Static<typeof ChargesApprovalInput>;

export const ChargeParams = Type.Object({ order_id: Uuid, charge_id: Uuid });
export const OrderIdParams = Type.Object({ order_id: Uuid });

export const chargeSchemas = [
  ChargeApprovalStatus,
  ChargeStatus,
  ChargeApprovalStatusInput,
  OrderChargeInput,
  OrderChargeChange,
  ChargeWithApprovalOutput,
  OrderChargesOutput,
  ChargesApprovalInput,
];
