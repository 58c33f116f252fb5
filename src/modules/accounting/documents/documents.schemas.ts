import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { CurrencyCode, DateOnly, DecimalInput, FreeObject, Nullable, opt, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { BillingEntity } from '../reference/reference.schemas.js';

/** Wire shapes of sales invoices and credit notes (the contract's, plus Waybill's additive fields). */

export const InvoiceStatus = StringEnum(['DRAFT', 'PRE_INVOICED', 'INVOICED', 'INVOICE_POSTED'], { $id: 'InvoiceStatus' });
export const CreditNoteStatus = StringEnum(['DRAFT', 'PRE_INVOICED', 'INVOICED', 'POSTED'], { $id: 'CreditNoteStatus' });
export const PaymentStatus = StringEnum(['UNPAID', 'PAID'], { $id: 'PaymentStatus' });
export const RefundStatus = StringEnum(['OPEN', 'REFUNDED'], { $id: 'RefundStatus' });

export const LineItem = Type.Object(
  {
    id: Nullable(Uuid),
    invoice_line_id: Nullable(Uuid),
    name: Type.String(),
    amount: Type.String({ description: 'The line amount without tax, a decimal string.' }),
    code: Type.String(),
    currency: Type.String(),
    description: Nullable(Type.String()),
    quantity: Type.String({ description: 'Waybill: the quantity billed.' }),
    unit_price: Type.String({ description: 'Waybill: the price of one unit, without tax.' }),
    account: Nullable(Type.Object({ code: Nullable(Type.String()) })),
    tax_rate: Nullable(
      Type.Object({
        id: Nullable(Uuid),
        name: Nullable(Type.String()),
        percentage: Nullable(Type.Number()),
        code: Nullable(Type.String()),
        tax_type: Type.String(),
      }),
    ),
    base_tax_rate: Nullable(Type.Object({ percentage: Nullable(Type.Number()) })),
    order_id: Nullable(Uuid),
    order_name: Nullable(Type.String()),
    trip_id: Nullable(Uuid),
    is_credit_charge: Type.Boolean(),
    invoice_name: Nullable(Type.String({ description: 'On a credit note: the credited invoice.' })),
    fraction: Type.String(),
    converted_from: Type.Optional(
      Nullable(
        Type.Object(
          { currency: Type.String(), unit_price: Type.String(), exchange_rate: Type.String(), rate_date: DateOnly },
          { description: 'Waybill: a charge billed in another currency, its own price and the rate (charge currency → invoice currency) it was converted at.' },
        ),
      ),
    ),
    allowance: Type.Optional(
      Nullable(
        Type.Object(
          {
            percentage: Nullable(Type.String({ description: 'Null for a discount given as an amount.' })),
            base_amount: Type.String(),
            amount: Type.String(),
            reason: Nullable(Type.String()),
          },
          {
            description:
              'Waybill: the discount on this line (EN 16931 BG-27): its percentage of quantity × unit price (`base_amount`) and the amount it comes to, or (`percentage` null) an amount given as such; the line’s `amount` is net of it.',
          },
        ),
      ),
    ),
  },
  { $id: 'LineItem' },
);
export type LineItem = Static<typeof LineItem>;

export const TaxSubtotal = Type.Object(
  { tax_rate_code: Type.String(), percentage: Type.String(), taxable_amount: Type.String(), tax_amount: Type.String() },
  { $id: 'TaxSubtotal', description: 'Waybill: the tax of one rate, computed once on the sum of its lines.' },
);

export const CompanySummaryOutput = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    currency: Type.String(),
    code: Nullable(Type.String()),
    accounting_code: Nullable(Type.String()),
    legal_name: Nullable(Type.String()),
    vat_number: Nullable(Type.String()),
    is_customer: Type.Boolean(),
    is_subcontractor: Type.Boolean(),
    payment_term: Nullable(Type.Object({ code: Type.String() })),
  },
  { $id: 'CompanySummaryOutput' },
);
export type CompanySummaryOutput = Static<typeof CompanySummaryOutput>;

export const documentFields = {
  id: Nullable(Uuid),
  name: Type.String({ description: 'The document number; `DRAFT-…` until finalized.' }),
  date: DateOnly,
  booking_date: Nullable(DateOnly),
  currency: Type.String(),
  customer_reference_numbers: Type.Array(Type.String()),
  custom_fields: FreeObject(),
  e_invoicing: Nullable(Type.Object({ number: Nullable(Type.String()), url: Nullable(Type.String()), regulator: Nullable(Type.String()) })),
  exchange_rate: Nullable(
    Type.Object(
      {
        rate: Type.Number(),
        inverse_rate: Type.Number(),
        rate_date: Nullable(DateOnly),
        currency: Type.Optional(Type.String({ description: 'Waybill: the billing entity’s books currency the rate converts into.' })),
        total_tax: Type.Optional(Type.String({ description: 'Waybill: the VAT total in that currency (EN 16931 BT-111), a decimal string.' })),
      },
      { description: 'For a finalized document in another currency than its billing entity’s books: the rate in force on its date.' },
    ),
  ),
  total_excl_tax: Type.String(),
  total_incl_tax: Type.String(),
  total_tax: Type.String(),
  customer: ref(CompanySummaryOutput),
  line_items: Type.Array(ref(LineItem)),
  billing_entity: ref(BillingEntity),
  tax_subtotals: Type.Array(ref(TaxSubtotal)),
  supply_period: Type.Optional(
    Nullable(
      Type.Object(
        { start_date: DateOnly, end_date: DateOnly },
        {
          description:
            'Waybill: when the transport was supplied, from the first to the last delivery day of the orders billed (EN 16931 BT-72 when one day, else the invoicing period BT-73/BT-74); null: the document date.',
        },
      ),
    ),
  ),
  updated_at: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'Waybill: when the document last changed (finalized, posted, paid, custom fields); the lists filter by it with `updated_after`.',
    }),
  ),
};

const lineExample = {
  id: 'c4a1d2e3-f405-4617-8a9b-0c1d2e3f4a5b',
  invoice_line_id: 'c4a1d2e3-f405-4617-8a9b-0c1d2e3f4a5b',
  name: 'Freight Antwerp–Lyon',
  amount: '845.50',
  code: 'FREIGHT',
  currency: 'EUR',
  description: null,
  quantity: '1',
  unit_price: '845.5',
  account: { code: '700000' },
  tax_rate: { id: '6b1e1f5c-92a4-4d47-b1b6-0e3cf0b6c111', name: 'VAT 21%', percentage: 21, code: 'BE21', tax_type: 'VAT' },
  base_tax_rate: null,
  order_id: '8e7d6c5b-4a39-4281-9f0e-d1c2b3a49586',
  order_name: 'OR-000001',
  trip_id: null,
  is_credit_charge: false,
  invoice_name: null,
  fraction: '1',
};
const invoiceExample = {
  id: '1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d',
  name: 'INV-WB-BE-2026-00001',
  date: '2026-11-30',
  due_date: '2026-12-30',
  booking_date: null,
  currency: 'EUR',
  customer_reference_numbers: ['PO-4711'],
  custom_fields: {},
  e_invoicing: null,
  exchange_rate: null,
  total_excl_tax: '845.50',
  total_tax: '177.56',
  total_incl_tax: '1023.06',
  customer: {
    id: '0f1e2d3c-4b5a-4697-8877-665544332211',
    name: 'Acme',
    currency: 'EUR',
    code: 'ACME',
    accounting_code: null,
    legal_name: null,
    vat_number: 'BE0403019261',
    is_customer: true,
    is_subcontractor: false,
    payment_term: { code: 'NET_30' },
  },
  line_items: [lineExample],
  billing_entity: {
    id: '3f0d8a53-5a6e-4b8e-9d43-2c1b6a7e9f10',
    code: 'WB-BE',
    legal_name: 'Waybill Logistics NV',
    vat_number: 'BE0123456749',
    company_registration_number: '0123456749',
    is_default: true,
  },
  tax_subtotals: [{ tax_rate_code: 'BE21', percentage: '21', taxable_amount: '845.50', tax_amount: '177.56' }],
  status: 'INVOICED',
  payment_status: 'UNPAID',
  credit_note_ids: [],
};

export const SalesInvoiceOutput = Type.Object(
  {
    ...documentFields,
    due_date: DateOnly,
    status: ref(InvoiceStatus),
    payment_status: ref(PaymentStatus),
    credit_note_ids: Type.Array(Uuid, { description: 'Waybill: the credit notes issued against this invoice.' }),
  },
  { $id: 'SalesInvoiceOutput', examples: [invoiceExample] },
);
export type SalesInvoiceOutput = Static<typeof SalesInvoiceOutput>;

export const SalesCreditNoteOutput = Type.Object(
  {
    ...documentFields,
    status: ref(CreditNoteStatus),
    refund_status: ref(RefundStatus),
    credited_invoice: Nullable(ref(SalesInvoiceOutput)),
  },
  {
    $id: 'SalesCreditNoteOutput',
    examples: [
      {
        ...invoiceExample,
        due_date: undefined,
        payment_status: undefined,
        credit_note_ids: undefined,
        id: '7d6c5b4a-3928-4716-a5f4-e3d2c1b0a998',
        name: 'CN-WB-BE-2026-00001',
        status: 'DRAFT',
        refund_status: 'OPEN',
        credited_invoice: null,
        line_items: [{ ...lineExample, is_credit_charge: true, invoice_name: 'INV-WB-BE-2026-00001' }],
      },
    ],
  },
);
export type SalesCreditNoteOutput = Static<typeof SalesCreditNoteOutput>;

export const InvoiceOrdersInput = Type.Object(
  {
    order_ids: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }),
    customer_reference_numbers: Type.Optional(Type.Array(Str(100), { maxItems: 50 })),
    custom_fields: Type.Optional(FreeObject()),
  },
  { $id: 'InvoiceOrdersInput', examples: [{ order_ids: ['8e7d6c5b-4a39-4281-9f0e-d1c2b3a49586'], customer_reference_numbers: ['PO-4711'] }] },
);
export type InvoiceOrdersInput = Static<typeof InvoiceOrdersInput>;

export const FinalizeInput = Type.Object(
  { date: Type.Optional(DateOnly) },
  {
    $id: 'FinalizeInput',
    examples: [{ date: '2026-11-30' }],
    description:
      'The document date; today (UTC) when omitted. A received supplier invoice keeps the supplier’s own number, date and due date: there `date` is the day it is booked (`booking_date`).',
  },
);
export type FinalizeInput = Static<typeof FinalizeInput>;

export const CreditInput = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(Type.Object({ line_id: Uuid, amount: DecimalInput }), {
        minItems: 1,
        maxItems: 500,
        description: 'Amounts (without tax) to credit per invoice line; the whole remaining invoice when omitted.',
      }),
    ),
  },
  { $id: 'CreditInput', examples: [{ lines: [{ line_id: lineExample.id, amount: '100.00' }] }] },
);
export type CreditInput = Static<typeof CreditInput>;

const ChargeInput = Type.Object({
  name: opt(Str(255)),
  code: opt(Str(100)),
  description: opt(Str(2000)),
  amount_excl_tax: DecimalInput,
  tax_rate: opt(Type.Object({ code: Str(50) })),
  price_list_item: Type.Object({ code: Str(100, { minLength: 1 }) }),
});

const externalFields = {
  date: DateOnly,
  booking_date: opt(DateOnly),
  currency: CurrencyCode,
  customer_reference_numbers: Type.Optional(Type.Array(Str(100), { maxItems: 50 })),
  custom_fields: Type.Optional(FreeObject()),
  customer: Type.Object({ id: opt(Uuid), accounting_code: opt(Str(100)) }),
  charges: Type.Array(ChargeInput, { minItems: 1, maxItems: 500 }),
  billing_entity: opt(Type.Object({ code: Str(50) })),
};
const externalExample = {
  date: '2026-11-30',
  currency: 'EUR',
  customer: { accounting_code: 'C-ACME' },
  customer_reference_numbers: ['PO-4711'],
  charges: [{ amount_excl_tax: '120.00', price_list_item: { code: 'STORAGE' }, tax_rate: { code: 'BE21' }, name: 'Storage November' }],
};

export const SalesInvoiceInput = Type.Object(
  { ...externalFields, due_date: opt(DateOnly) },
  { $id: 'SalesInvoiceInput', examples: [{ ...externalExample, due_date: '2026-12-30' }] },
);
export type SalesInvoiceInput = Static<typeof SalesInvoiceInput>;
export const SalesCreditNoteInput = Type.Object(externalFields, { $id: 'SalesCreditNoteInput', examples: [externalExample] });
export type SalesCreditNoteInput = Static<typeof SalesCreditNoteInput>;

export const CustomFieldsPatch = Type.Object(
  { custom_fields: Type.Optional(FreeObject()) },
  { $id: 'BillingDocumentPatchInput', examples: [{ custom_fields: { ledger_reference: 'JNL-2026-1187' } }] },
);
export type CustomFieldsPatch = Static<typeof CustomFieldsPatch>;

export const PaymentStatusUpdate = Type.Object({ status: ref(PaymentStatus) }, { $id: 'PaymentStatusUpdate', examples: [{ status: 'PAID' }] });
export const RefundStatusUpdate = Type.Object({ status: ref(RefundStatus) }, { $id: 'RefundStatusUpdate', examples: [{ status: 'REFUNDED' }] });

export const DocumentFile = Type.Object(
  { id: Uuid, name: Type.String(), type: Type.String(), download_url: Type.String(), subject_type: Type.String(), content_type: Nullable(Type.String()) },
  { $id: 'BillingDocumentFile' },
);
export const DocumentFileList = Type.Array(ref(DocumentFile), {
  $id: 'BillingDocumentFileList',
  examples: [
    [
      {
        id: '2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
        name: 'INV-WB-BE-2026-00001.pdf',
        type: 'INVOICE_PDF',
        download_url: '/v1/accounting/files/2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901',
        subject_type: 'SALES_INVOICE',
        content_type: 'application/pdf',
      },
    ],
  ],
});
export type DocumentFile = Static<typeof DocumentFile>;

export const billingSchemas = [
  InvoiceStatus,
  CreditNoteStatus,
  PaymentStatus,
  RefundStatus,
  LineItem,
  TaxSubtotal,
  CompanySummaryOutput,
  SalesInvoiceOutput,
  SalesCreditNoteOutput,
  InvoiceOrdersInput,
  FinalizeInput,
  CreditInput,
  SalesInvoiceInput,
  SalesCreditNoteInput,
  CustomFieldsPatch,
  PaymentStatusUpdate,
  RefundStatusUpdate,
  DocumentFile,
  DocumentFileList,
];
