import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import {
  CountryCode,
  CurrencyCode,
  PeppolParticipantId,
  DateOnly,
  DecimalColumnInput,
  Nullable,
  Page,
  PageQuery,
  Str,
  Uuid,
} from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';

/** Schemas of the accounting reference data: billing entities, tax rates, GL accounts, exchange rates. */

export const TaxRateType = StringEnum(['VAT', 'NO_VAT', 'REVERSE_CHARGE', 'TRANSIT', 'CO_CONTRACTING', 'OTHER'], { $id: 'TaxRateType' });
export const TaxRateInvoiceType = StringEnum(['SALES', 'SALES_CREDIT_NOTE', 'PURCHASE', 'PURCHASE_CREDIT_NOTE'], { $id: 'TaxRateInvoiceType' });

const Address = Type.Object({
  street: Type.Optional(Str(500)),
  city: Type.Optional(Str(200)),
  postal_code: Type.Optional(Str(20)),
  country: Type.Optional(CountryCode),
});
const BankAccount = Type.Object({
  iban: Type.Optional(Str(34, { pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$' })),
  bic: Type.Optional(Str(11, { pattern: '^[A-Z0-9]{8}([A-Z0-9]{3})?$' })),
});

const billingEntityExample = {
  code: 'WB-BE',
  legal_name: 'Waybill Logistics NV',
  vat_number: 'BE0123456749',
  company_registration_number: '0123456749',
  is_default: true,
  currency: 'EUR',
  address: { street: 'Havenlaan 12', city: 'Antwerpen', postal_code: '2000', country: 'BE' },
  bank_account: { iban: 'BE68539007547034', bic: 'GKCCBEBB' },
};

export const BillingEntityInput = Type.Object(
  {
    code: Str(50, { minLength: 1, pattern: '^[A-Za-z0-9_.-]+$', description: 'Your short reference for the entity; unique per tenant.' }),
    legal_name: Str(255, { minLength: 1 }),
    vat_number: Str(50, { minLength: 1 }),
    company_registration_number: Str(50, { minLength: 1 }),
    is_default: Type.Optional(Type.Boolean({ description: 'The entity used when a request names none. At most one per tenant.' })),
    currency: Type.Optional({
      ...CurrencyCode,
      description: 'The currency the entity keeps its books in (EUR when omitted); invoices in another currency state their VAT in it too.',
    }),
    address: Type.Optional(Address),
    bank_account: Type.Optional(BankAccount),
    peppol_id: Type.Optional(Nullable(PeppolParticipantId)),
  },
  { $id: 'BillingEntityInput', examples: [billingEntityExample] },
);
export type BillingEntityInput = Static<typeof BillingEntityInput>;

export const BillingEntity = Type.Object(
  {
    id: Uuid,
    legal_name: Type.String(),
    vat_number: Type.String(),
    code: Type.String(),
    company_registration_number: Type.String(),
    is_default: Type.Boolean(),
    currency: Type.Optional(Type.String({ description: 'Waybill: the currency the entity keeps its books in.' })),
    address: Type.Optional(Address),
    bank_account: Type.Optional(BankAccount),
    peppol_id: Type.Optional(Nullable(PeppolParticipantId)),
  },
  { $id: 'BillingEntity', examples: [{ id: '3f0d8a53-5a6e-4b8e-9d43-2c1b6a7e9f10', ...billingEntityExample }] },
);
export type BillingEntity = Static<typeof BillingEntity>;
export const ListBillingEntityOutput = Type.Object(
  { items: Type.Array(ref(BillingEntity)) },
  { $id: 'ListBillingEntityOutput', examples: [{ items: BillingEntity.examples }] },
);

/** Which entity a record belongs to: by code, else the tenant's default (or only) entity. */
const billingEntityCode = Type.Optional(Str(50, { description: 'The billing entity; the default entity when omitted.' }));

/**
 * Waybill: what an e-invoice says about the rate (EN 16931 BT-118/BT-120/BT-121). Left out, the
 * category follows from tax_type and percentage (VAT → S or Z, REVERSE_CHARGE → AE, NO_VAT → E,
 * TRANSIT → G, OTHER → O) and the exemption code and wording from the category.
 */
const vatCategoryFields = {
  vat_category: Type.Optional(
    Nullable(
      StringEnum(['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'], {
        description: 'Waybill: the UNCL5305 VAT category: K intra-community supply, G export, O out of scope, E exempt, AE reverse charge…',
      }),
    ),
  ),
  exemption_reason_code: Type.Optional(
    Nullable(Str(46, { pattern: '^VATEX-[A-Z0-9-]{1,40}$', description: 'Waybill: the VATEX code printed with exempt lines, e.g. VATEX-EU-132-1F.' })),
  ),
  exemption_reason: Type.Optional(Nullable(Str(500, { description: 'Waybill: the exemption wording the invoice carries (legal reference).' }))),
};

/** numeric(9, 4) between 0 and 100 in tax_rates. */
const Percentage = Type.Unsafe<number | string>({
  ...DecimalColumnInput(3, 4, { sign: 'nonNegative', max: 100, description: 'A percentage from 0 to 100, at most 4 decimals.' }),
  pattern: '^(100(\\.0{1,4})?|\\d{1,2}(\\.\\d{1,4})?)$',
});

export const TaxRateInput = Type.Object(
  {
    billing_entity_code: billingEntityCode,
    code: Str(50, { minLength: 1 }),
    name: Str(255, { minLength: 1 }),
    description: Type.Optional(Str(1000)),
    percentage: Percentage,
    base_percentage: Type.Optional(Nullable(Percentage)),
    tax_type: Type.Optional(ref(TaxRateType)),
    invoice_type: Type.Optional(ref(TaxRateInvoiceType)),
    ...vatCategoryFields,
  },
  { $id: 'WaybillTaxRateInput', examples: [{ code: 'BE21', name: 'VAT 21%', percentage: '21', tax_type: 'VAT', invoice_type: 'SALES' }] },
);
export type TaxRateInput = Static<typeof TaxRateInput>;

export const TaxRateOutput = Type.Object(
  {
    id: Uuid,
    archived: Type.Boolean(),
    name: Type.String(),
    billing_entity: ref(BillingEntity),
    percentage: Type.Number(),
    base_percentage: Nullable(Type.Number()),
    code: Type.String(),
    tax_type: ref(TaxRateType),
    invoice_type: ref(TaxRateInvoiceType),
    description: Type.String(),
    ...vatCategoryFields,
  },
  {
    $id: 'TaxRateOutput',
    examples: [
      {
        id: '6b1e1f5c-92a4-4d47-b1b6-0e3cf0b6c111',
        archived: false,
        name: 'VAT 21%',
        code: 'BE21',
        percentage: 21,
        base_percentage: null,
        tax_type: 'VAT',
        invoice_type: 'SALES',
        description: '',
        billing_entity: { id: '3f0d8a53-5a6e-4b8e-9d43-2c1b6a7e9f10', ...billingEntityExample },
      },
    ],
  },
);
export type TaxRateOutput = Static<typeof TaxRateOutput>;
export const ListTaxRateOutput = Page(ref(TaxRateOutput), 'ListTaxRateOutput', [{ items: TaxRateOutput.examples, next_cursor: null }]);

export const AccountInput = Type.Object(
  { billing_entity_code: billingEntityCode, code: Str(50, { minLength: 1 }), name: Str(255, { minLength: 1 }) },
  { $id: 'WaybillAccountInput', examples: [{ code: '700000', name: 'Transport revenue' }] },
);
export type AccountInput = Static<typeof AccountInput>;

export const AccountOutput = Type.Object(
  { id: Uuid, archived: Type.Boolean(), code: Type.String(), name: Type.String(), billing_entity: ref(BillingEntity) },
  {
    $id: 'AccountOutput',
    examples: [
      {
        id: '0b7f0c4e-3d0a-4c55-a1f2-96c0f3e0d222',
        archived: false,
        code: '700000',
        name: 'Transport revenue',
        billing_entity: { id: '3f0d8a53-5a6e-4b8e-9d43-2c1b6a7e9f10', ...billingEntityExample },
      },
    ],
  },
);
export type AccountOutput = Static<typeof AccountOutput>;
export const ListAccountOutput = Page(ref(AccountOutput), 'ListAccountOutput', [{ items: AccountOutput.examples, next_cursor: null }]);

export const ReferenceListQuery = Type.Object({
  archived: Type.Optional(Type.Boolean()),
  billing_entity_code: Type.Optional(Str(50)),
  ...PageQuery,
});
export type ReferenceListQuery = Static<typeof ReferenceListQuery>;

/**
 * The contract types a rate as a number or any string: every way of writing a positive number is
 * taken (`0.8573`, `.8573`, `+0.8573`, `8.573e-1`), read exactly and checked by the service
 * (numeric(24, 12) > 0 in exchange_rates).
 */
const PositiveRate = Type.Unsafe<number | string>({
  type: ['number', 'string'],
  exclusiveMinimum: 0,
  pattern: '^\\s*\\+?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*$',
  maxLength: 40,
  description: 'More than 0, at most 12 integer digits and 12 decimals; a JSON number or a decimal string, exponent form included.',
});

export const ExchangeRateInput = Type.Object(
  {
    exchange_rate: PositiveRate,
    inverse_exchange_rate: PositiveRate,
    exchange_rate_date: DateOnly,
    from_currency: CurrencyCode,
    to_currency: CurrencyCode,
  },
  {
    $id: 'ExchangeRateInput',
    examples: [{ exchange_rate: '0.8573', inverse_exchange_rate: '1.1665', exchange_rate_date: '2026-11-30', from_currency: 'EUR', to_currency: 'GBP' }],
  },
);
export type ExchangeRateInput = Static<typeof ExchangeRateInput>;

export const ExchangeRateOutput = Type.Object(
  {
    id: Uuid,
    exchange_rate: Type.Number(),
    inverse_exchange_rate: Type.Number(),
    exchange_rate_date: DateOnly,
    from_currency: Type.String(),
    to_currency: Type.String(),
  },
  {
    $id: 'ExchangeRateOutput',
    examples: [
      {
        id: '9a3e2d1c-0b4f-4e6a-8c7d-5f1e2a3b4c55',
        exchange_rate: 0.8573,
        inverse_exchange_rate: 1.1665,
        exchange_rate_date: '2026-11-30',
        from_currency: 'EUR',
        to_currency: 'GBP',
      },
    ],
  },
);
export type ExchangeRateOutput = Static<typeof ExchangeRateOutput>;
export const ListExchangeRateOutput = Page(ref(ExchangeRateOutput), 'ListExchangeRateOutput', [{ items: ExchangeRateOutput.examples, next_cursor: null }]);

export const ExchangeRateQuery = Type.Object({
  from_currency: Type.Optional(CurrencyCode),
  to_currency: Type.Optional(CurrencyCode),
  'exchange_rate_date:gte': Type.Optional(DateOnly),
  'exchange_rate_date:lte': Type.Optional(DateOnly),
  ...PageQuery,
});
export type ExchangeRateQuery = Static<typeof ExchangeRateQuery>;

export const referenceSchemas = [
  TaxRateType,
  TaxRateInvoiceType,
  BillingEntityInput,
  BillingEntity,
  ListBillingEntityOutput,
  TaxRateInput,
  TaxRateOutput,
  ListTaxRateOutput,
  AccountInput,
  AccountOutput,
  ListAccountOutput,
  ExchangeRateInput,
  ExchangeRateOutput,
  ListExchangeRateOutput,
];
