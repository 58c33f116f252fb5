import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../platform/http/enum.js';
import { CountryCode, CurrencyCode, DateTime, PeppolParticipantId, DecimalInput, FreeObject, Nullable, Page, Str, Uuid } from '../../platform/http/schemas.js';
import { ref } from '../../platform/http/types.js';

const endOfMonthNet = [90, 75, 70, 65, 60, 50, 45, 35, 31, 30, 25, 21, 14, 7, 1].map((n) => `END_OF_MONTH_0_NET_${n}`);
const net = [1, 2, 3, 5, 7, 8, 10, 12, 14, 15, 20, 21, 28, 30, 35, 40, 42, 45, 48, 49, 50, 52, 55, 56, 60, 63, 70, 75, 77, 80, 84, 90, 91, 98, 120].map(
  (n) => `NET_${n}`,
);
export const PAYMENT_TERM_CODES = [
  'END_OF_MONTH_2',
  'END_OF_MONTH_1',
  ...endOfMonthNet,
  'END_OF_MONTH_0',
  'PREPAID',
  'CUSTOM_DUE_DATE',
  'UPON_RECEIPT',
  ...net,
];

export const PaymentTermCode = StringEnum(PAYMENT_TERM_CODES, { $id: 'PaymentTermCode' });
export const CustomerStatus = StringEnum(['PROSPECT', 'NOT_APPROVED', 'APPROVED', 'WARNING', 'BLOCKED'], { $id: 'CustomerStatus' });
export const SubcontractorStatus = StringEnum(['NOT_APPROVED', 'APPROVED', 'WARNING', 'BLOCKED'], { $id: 'SubcontractorStatus' });
export const TaxType = StringEnum(['VAT', 'REVERSE_CHARGE', 'TRANSIT', 'NO_VAT', 'CO_CONTRACTING', 'OTHER'], { $id: 'TaxTypeEnum' });
export const ContactType = StringEnum(
  [
    'BILLING',
    'OPERATIONS',
    'BOOKINGS',
    'NOTIFICATIONS',
    'CLEANING',
    'HEATING',
    'STORAGE',
    'CONTAINER_RELEASE',
    'DRIVER',
    'OTHER',
    'CMR_PROCESSING',
    'PAYMENT_REMINDERS',
    'CLAIMS_INSURANCE',
    'CUSTOMS',
    'IT',
    'QUALITY',
    'SALES',
    'CUSTOMER_CONTACT',
  ],
  { $id: 'ContactType' },
);

/** An optional field that may also be sent as null. */
export const opt = <T extends Parameters<typeof Nullable>[0]>(schema: T) => Type.Optional(Nullable(schema));

const PaymentTerm = Type.Object({ code: ref(PaymentTermCode) });
const BillingEntityRef = Type.Object({ id: opt(Uuid), code: opt(Str(100)), accounting_code: opt(Str(100)) });
const roleFields = <S extends typeof CustomerStatus | typeof SubcontractorStatus>(status: S) =>
  Type.Object({
    payment_term: opt(PaymentTerm),
    billing_entities: opt(Type.Array(BillingEntityRef, { maxItems: 50 })),
    status: opt(ref(status)),
  });

/** The address fields every location shares (company billing address, order stops). */
export const LocationFields = {
  code: opt(Str(100)),
  display_name: opt(Str(255)),
  external_id: opt(Str(255)),
  name: opt(Str(255)),
  address: opt(Str(500)),
  address_second_line: opt(Str(500)),
  city: opt(Str(200)),
  state: opt(Str(200)),
  country: opt(CountryCode),
  postal_code: opt(Str(20)),
};

const ReferenceNumbers = Type.Object({
  eori_number: opt(Str(50)),
  duns_number: opt(Str(50)),
  scac_code: opt(Str(50)),
  company_registration_number: opt(Str(50)),
  tss_registration_number: opt(Str(50)),
});
const BankAccount = Type.Object({ iban_code: opt(Str(34)), bic_code: opt(Str(11)) });
const Contact = {
  id: opt(Uuid),
  roles: Type.Optional(Type.Array(ref(ContactType), { maxItems: 18 })),
  name: opt(Str(200)),
  note: opt(Str(2000)),
  email: opt(Str(320, { format: 'email' })),
  phone_number: opt(Str(32)),
};

const inputFields = {
  is_customer: Type.Optional(Type.Boolean({ default: false })),
  is_subcontractor: Type.Optional(Type.Boolean({ default: false })),
  is_buyer_or_seller: opt(Type.Boolean()),
  archived_customer: opt(Type.Boolean()),
  archived_subcontractor: opt(Type.Boolean()),
  subcontractor_sees_order_details: opt(
    Type.Boolean({
      description:
        "Waybill's addition. When this company executes trips: send it the customers' full records and the orders' pricing. " +
        'Default false: its dispatches, trips and pushes name each customer by name and code only, with `pricing: null`.',
    }),
  ),
  name: opt(Str(255, { minLength: 1 })),
  legal_name: opt(Str(255)),
  code: opt(Str(100, { description: 'Your reference for the company; unique per tenant. Empty means no code.' })),
  accounting_code: opt(Str(100)),
  currency: CurrencyCode,
  vat_number: opt(Str(50)),
  peppol_id: opt(PeppolParticipantId),
  note: opt(Str(5000)),
  locale: opt(Str(5, { pattern: '^[a-z]{2}(-[A-Z]{2})?$' })),
  tax_type: opt(ref(TaxType)),
  billing_location: opt(Type.Object(LocationFields)),
  payment_term: opt(PaymentTerm),
  sales: Type.Optional(roleFields(CustomerStatus)),
  purchase: Type.Optional(roleFields(SubcontractorStatus)),
  contacts: opt(Type.Array(Type.Object({ ...Contact, is_archived: Type.Optional(Type.Boolean()) }), { maxItems: 200 })),
  reference_numbers: opt(ReferenceNumbers),
  bank_accounts: opt(Type.Array(BankAccount, { maxItems: 20 })),
  credit_policy: opt(Type.Object({ limit: opt(DecimalInput) })),
  default_invoice_customer_id: opt(Uuid),
  custom_fields: opt(FreeObject()),
  status: opt(ref(CustomerStatus)),
  is_blocked: opt(Type.Boolean()),
  credit_limit_total: opt(DecimalInput),
};

const companyExample: Record<string, unknown> = {
  name: 'Acme Freight',
  code: 'ACME',
  accounting_code: '400100',
  currency: 'EUR',
  is_customer: true,
  vat_number: 'BE0123456789',
  billing_location: { address: 'Rue de la Loi 1', city: 'Brussels', country: 'BE', postal_code: '1000' },
  contacts: [{ name: 'Operations desk', email: 'ops@acme.example', roles: ['OPERATIONS'] }],
  sales: { payment_term: { code: 'NET_30' }, status: 'APPROVED' },
  bank_accounts: [{ iban_code: 'BE68539007547034', bic_code: 'GEBABEBB' }],
};

export const CompanyInput = Type.Object(inputFields, {
  $id: 'CompanyInput',
  description: 'A whole company: POST creates it, PUT replaces it (contacts are matched by id; archive flags left out keep their value).',
  examples: [companyExample],
});
export type CompanyInput = Static<typeof CompanyInput>;

/** PATCH: the same fields, none required and none defaulted, so that what is left out stays as it is. */
export const CompanyPartialInput = Type.Object(
  {
    ...inputFields,
    is_customer: opt(Type.Boolean()),
    is_subcontractor: opt(Type.Boolean()),
    currency: opt(CurrencyCode),
  },
  {
    $id: 'CompanyPartialInput',
    description: 'Changes to a company: fields sent replace the stored value (null clears it); fields left out keep theirs.',
    examples: [{ archived_customer: true, purchase: { status: 'BLOCKED' } }],
  },
);
export type CompanyPartialInput = Static<typeof CompanyPartialInput>;

export const CompanyDetailOutput = Type.Object(
  {
    id: Uuid,
    code: Nullable(Type.String()),
    accounting_code: Nullable(Type.String()),
    name: Type.String(),
    legal_name: Nullable(Type.String()),
    currency: Type.String(),
    locale: Type.String(),
    is_customer: Type.Boolean(),
    is_subcontractor: Type.Boolean(),
    is_buyer_or_seller: Nullable(Type.Boolean()),
    archived_customer: Type.Boolean(),
    archived_subcontractor: Type.Boolean(),
    archived_buyer_or_seller: Type.Boolean(),
    subcontractor_sees_order_details: Type.Boolean(),
    vat_number: Nullable(Type.String()),
    peppol_id: Type.Optional(Nullable(PeppolParticipantId)),
    note: Nullable(Type.String()),
    tax_type: Nullable(ref(TaxType)),
    status: ref(CustomerStatus),
    billing_location: Nullable(Type.Object({ ...LocationFields, id: opt(Uuid), latitude: opt(Type.Number()), longitude: opt(Type.Number()) })),
    payment_term: Nullable(PaymentTerm),
    sales: roleFields(CustomerStatus),
    purchase: roleFields(SubcontractorStatus),
    contacts: Nullable(Type.Array(Type.Object(Contact))),
    reference_numbers: ReferenceNumbers,
    bank_accounts: Type.Array(BankAccount),
    credit_policy: Nullable(Type.Object({ limit: opt(Type.Number()) })),
    default_invoice_customer: Nullable(Type.Object({ id: Uuid, name: Type.String(), code: opt(Type.String()) })),
    custom_fields: Nullable(FreeObject()),
    is_blocked: Type.Boolean(),
    timestamp_updated: DateTime,
  },
  {
    $id: 'CompanyDetailOutput',
    examples: [
      {
        ...companyExample,
        id: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
        legal_name: null,
        locale: 'en-GB',
        is_subcontractor: false,
        is_buyer_or_seller: false,
        archived_customer: false,
        archived_subcontractor: false,
        archived_buyer_or_seller: false,
        subcontractor_sees_order_details: false,
        note: null,
        tax_type: 'VAT',
        status: 'APPROVED',
        payment_term: null,
        purchase: { status: 'APPROVED' },
        contacts: [{ id: '9b2f7c1e-3d4a-4b5c-8d6e-7f8a9b0c1d2e', name: 'Operations desk', email: 'ops@acme.example', roles: ['OPERATIONS'] }],
        reference_numbers: {},
        credit_policy: null,
        default_invoice_customer: null,
        custom_fields: {},
        is_blocked: false,
        timestamp_updated: '2026-11-30T10:15:00.000Z',
      },
    ],
  },
);
export type CompanyDetailOutput = Static<typeof CompanyDetailOutput>;

export const ListCompanyOutput = Page(ref(CompanyDetailOutput), 'ListCompanyOutput', [{ items: CompanyDetailOutput.examples, next_cursor: null }]);

/** The roles a company can have, as the list's `role` filter names them. */
export const COMPANY_ROLES = ['customer', 'subcontractor', 'buyer_or_seller'] as const;
export type CompanyRole = (typeof COMPANY_ROLES)[number];

export const CompanyListQuery = Type.Object({
  updated_after: Type.Optional(DateTime),
  q: Type.Optional(
    Str(100, {
      minLength: 1,
      description: 'Search (Waybill): only companies whose name, code or accounting code contains this, in any case.',
      examples: ['acme'],
    }),
  ),
  role: Type.Optional(StringEnum([...COMPANY_ROLES], { description: 'Waybill: only companies in this role (archived in it or not).' })),
  cursor: Type.Optional(Type.String({ maxLength: 2048 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const companySchemas = [
  PaymentTermCode,
  CustomerStatus,
  SubcontractorStatus,
  TaxType,
  ContactType,
  CompanyInput,
  CompanyPartialInput,
  CompanyDetailOutput,
  ListCompanyOutput,
];
