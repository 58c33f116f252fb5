import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../../../platform/http/enum.js';
import { CurrencyCode, DateOnly, DecimalInput, FreeObject, Nullable, opt, PeppolParticipantId, Str, Uuid } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { TaxRateType } from '../reference/reference.schemas.js';
import {
  CompanySummaryOutput,
  CreditNoteStatus,
  InvoiceStatus,
  PaymentStatus,
  RefundStatus,
  SalesInvoiceOutput,
  documentFields,
} from '../documents/documents.schemas.js';

/** Wire shapes of purchase invoices and credit notes, self-billing and received e-invoices. */

const { customer: _customer, ...sharedFields } = documentFields;

export const MatchStatus = StringEnum(['MATCHED', 'MISMATCH', 'UNMATCHED'], { $id: 'PurchaseMatchStatus' });

export const MatchDifference = Type.Object(
  {
    reason: StringEnum(['AMOUNT_DIFFERS', 'CURRENCY_DIFFERS', 'ALREADY_BILLED', 'LINE_NOT_MATCHED', 'TOTAL_DIFFERS']),
    trip_id: Nullable(Uuid),
    trip_name: Nullable(Type.String()),
    agreed: Nullable(Type.String({ description: 'What was agreed (the trip’s purchase price), or the total the lines add up to.' })),
    invoiced: Nullable(Type.String({ description: 'What the supplier invoiced for it.' })),
    message: Type.String(),
  },
  { $id: 'PurchaseMatchDifference' },
);

export const EInvoiceMatch = Type.Object(
  {
    format: StringEnum(['UBL', 'CII', 'JSON']),
    match_status: ref(MatchStatus),
    differences: Type.Array(ref(MatchDifference)),
    stated_totals: Type.Record(Type.String(), Type.String(), { description: 'The totals as the supplier stated them.' }),
    payment: Type.Optional(
      Nullable(
        Type.Object(
          { iban: Nullable(Type.String()), bic: Nullable(Type.String()), account_name: Nullable(Type.String()), reference: Nullable(Type.String()) },
          { description: 'Where the supplier asks to be paid and what to quote, as its invoice states it; null when it states nothing.' },
        ),
      ),
    ),
  },
  { $id: 'PurchaseEInvoiceMatch', description: 'Waybill: how a received e-invoice compares with the agreed trip costs; null for self-billed documents.' },
);

const purchaseFields = {
  ...sharedFields,
  external_name: Type.String({
    description:
      'The supplier’s own number for a received e-invoice (also its `name`: a received invoice takes no number of Waybill’s series); Waybill’s number for a self-billed one.',
  }),
  supplier: ref(CompanySummaryOutput),
  e_invoice: Nullable(ref(EInvoiceMatch)),
};

const salesExample = SalesInvoiceOutput.examples[0] as Record<string, unknown>;
const { customer: supplierExample, ...exampleRest } = salesExample;
const purchaseExample = {
  ...exampleRest,
  name: 'PINV-WB-BE-2026-00001',
  external_name: 'PINV-WB-BE-2026-00001',
  supplier: { ...(supplierExample as object), name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true },
  line_items: [
    {
      ...(salesExample.line_items as object[])[0],
      name: 'Subcontracting TR-000012',
      code: 'SUBCONTRACTING',
      order_id: null,
      order_name: null,
      trip_id: '5d4c3b2a-1908-4f7e-8d6c-5b4a39281706',
    },
  ],
  e_invoice: null,
};

export const PurchaseInvoiceOutput = Type.Object(
  {
    ...purchaseFields,
    due_date: DateOnly,
    status: ref(InvoiceStatus),
    payment_status: ref(PaymentStatus),
    credit_note_ids: Type.Array(Uuid, { description: 'Waybill: the credit notes issued against this invoice.' }),
  },
  { $id: 'PurchaseInvoice', examples: [purchaseExample] },
);
export type PurchaseInvoiceOutput = Static<typeof PurchaseInvoiceOutput>;

export const PurchaseCreditNoteOutput = Type.Object(
  { ...purchaseFields, status: ref(CreditNoteStatus), refund_status: ref(RefundStatus), credited_invoice: Nullable(ref(PurchaseInvoiceOutput)) },
  {
    $id: 'PurchaseCreditNote',
    examples: [
      {
        ...purchaseExample,
        due_date: undefined,
        payment_status: undefined,
        credit_note_ids: undefined,
        id: '6c5b4a39-2817-4605-94e3-d2c1b0a99887',
        name: 'PCN-WB-BE-2026-00001',
        external_name: 'PCN-WB-BE-2026-00001',
        status: 'DRAFT',
        refund_status: 'OPEN',
        credited_invoice: null,
      },
    ],
  },
);
export type PurchaseCreditNoteOutput = Static<typeof PurchaseCreditNoteOutput>;

export const SelfBillInput = Type.Object(
  {
    subcontractor_id: Uuid,
    trip_ids: Type.Optional(
      Type.Array(Uuid, {
        minItems: 1,
        maxItems: 500,
        uniqueItems: true,
        description: 'Only these trips; all the subcontractor’s billable trips when omitted.',
      }),
    ),
    tax_rate: Type.Object({ code: Str(50) }, { description: 'A PURCHASE tax rate of the billing entity.' }),
    billing_entity_code: Type.Optional(Str(50)),
    custom_fields: Type.Optional(FreeObject()),
  },
  {
    $id: 'SelfBillInput',
    additionalProperties: false,
    examples: [{ subcontractor_id: '3f0e8a4e-1b52-4d4e-a3f4-5c7d0b9e2f10', tax_rate: { code: 'BE21-P' } }],
  },
);
export type SelfBillInput = Static<typeof SelfBillInput>;

const EInvoiceLine = Type.Object({
  description: opt(Str(2000)),
  amount: DecimalInput,
  currency: CurrencyCode,
  tax_rate: opt(
    Type.Object({
      percentage: opt(Type.Number({ minimum: 0, maximum: 100 })),
      name: opt(Str(255)),
      tax_type: opt(ref(TaxRateType)),
    }),
  ),
  account: opt(Type.Object({ code: opt(Str(100)) })),
  references: opt(Type.Record(Str(100), Str(255), { propertyNames: { maxLength: 100 }, maxProperties: 20 })),
});

/** The contract's e-invoice document types; a received file is listed under the document's `/documents` with this type. */
export const EInvoiceDocumentType = StringEnum(['INVOICE', 'CREDIT_NOTE', 'OTHER']);

/** A file sent with the e-invoice, its bytes in base64; decoded, it must stay within the document size limit. */
const EInvoiceAttachment = Type.Object({
  document: Type.Object({
    base64: Type.String({ minLength: 1, description: 'The file’s bytes in standard base64 (line breaks allowed).' }),
    content_type: Str(255, { minLength: 1, examples: ['application/pdf'] }),
    document_type: EInvoiceDocumentType,
    filename: Str(255, { minLength: 1, examples: ['HAUL-2026-0042.pdf'] }),
  }),
});

/** The contract's JSON e-invoice (PurchaseEInvoiceInput, or PurchaseECreditNoteInput when `invoice_type` says so). */
export const EInvoiceJsonInput = Type.Object(
  {
    invoice_type: StringEnum(['PURCHASE', 'PURCHASE_CREDIT_NOTE']),
    name: Str(100, { minLength: 1 }),
    date: DateOnly,
    due_date: opt(DateOnly),
    currency: CurrencyCode,
    total_excl_tax: DecimalInput,
    total_incl_tax: DecimalInput,
    total_tax: DecimalInput,
    custom_fields: Type.Optional(FreeObject()),
    supplier: Type.Object(
      { id: opt(Uuid), name: Str(255), vat_number: opt(Str(50)) },
      {
        description:
          'The seller: it must be the subcontractor sending the invoice (its id, or its VAT number, when given); otherwise the invoice is refused (400 naming it).',
      },
    ),
    buyer: opt(
      Type.Object(
        { name: opt(Str(255)), vat_number: opt(Str(50)), peppol_id: opt(PeppolParticipantId) },
        {
          description:
            'Waybill: the buyer, one of the tenant’s billing entities named by VAT number or Peppol id (the default billing entity when omitted); one that is not refuses the invoice (400 naming it).',
        },
      ),
    ),
    payment: opt(
      Type.Object(
        {
          iban: Str(34, { minLength: 5, pattern: '^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9 ]+$' }),
          bic: opt(Str(11, { pattern: '^[A-Za-z0-9]{8}([A-Za-z0-9]{3})?$' })),
          account_name: opt(Str(255)),
          reference: opt(Str(140, { description: 'The remittance information to quote when paying.' })),
        },
        { description: 'Waybill: the account the supplier asks to be paid on (EN 16931 BG-17), kept with the invoice as stated.' },
      ),
    ),
    customer_reference_numbers: Type.Optional(Type.Array(Str(100), { maxItems: 50 })),
    line_items: Type.Array(EInvoiceLine, { minItems: 1, maxItems: 500 }),
    attachments: opt(
      Type.Array(EInvoiceAttachment, {
        maxItems: 20,
        description: 'Files sent with the invoice (its PDF, a CMR…): kept with the draft and listed under its `/documents`, downloadable by the tenant.',
      }),
    ),
  },
  {
    $id: 'EInvoiceJsonInput',
    examples: [
      {
        invoice_type: 'PURCHASE',
        name: 'HAUL-2026-0042',
        date: '2026-12-01',
        due_date: '2026-12-31',
        currency: 'EUR',
        total_excl_tax: '450.00',
        total_tax: '94.50',
        total_incl_tax: '544.50',
        supplier: { name: 'Haulers BV', vat_number: 'BE0477472701' },
        line_items: [
          {
            description: 'Transport TR-000012',
            amount: '450.00',
            currency: 'EUR',
            tax_rate: { percentage: 21, tax_type: 'VAT' },
            references: { trip_name: 'TR-000012' },
          },
        ],
      },
    ],
  },
);
export type EInvoiceJsonInput = Static<typeof EInvoiceJsonInput>;

/** Only documents the multipart form for OpenAPI: the route reads the parts itself, in the order sent. */
export const EInvoiceMultipartBody = Type.Object(
  {
    document: Type.String({
      contentMediaType: 'application/json',
      description: 'The first part, whatever its name: the JSON e-invoice exactly as the application/json body (EInvoiceJsonInput). XML is not taken here.',
    }),
  },
  {
    $id: 'EInvoiceMultipartBody',
    additionalProperties: Type.String({
      format: 'binary',
      description:
        'Every later part (at most 20) is a file kept with the draft under its part filename: a PDF as the invoice’s or credit note’s own document, anything else as OTHER.',
    }),
    examples: [
      {
        document:
          '{"invoice_type":"PURCHASE","name":"HAUL-2026-0042","date":"2026-12-01","currency":"EUR","total_excl_tax":"450.00","total_tax":"94.50","total_incl_tax":"544.50","supplier":{"name":"Haulers BV"},"line_items":[{"amount":"450.00","currency":"EUR","references":{"trip_name":"TR-000012"}}]}',
        invoice: '%PDF-1.7 …',
        cmr: '%PDF-1.7 …',
      },
    ],
  },
);

export const EInvoiceReceipt = Type.Object(
  {
    id: Uuid,
    invoice_type: StringEnum(['PURCHASE', 'PURCHASE_CREDIT_NOTE']),
    external_name: Type.String(),
    match_status: ref(MatchStatus),
    differences: Type.Array(ref(MatchDifference)),
  },
  {
    $id: 'EInvoiceReceipt',
    examples: [
      { id: '1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d', invoice_type: 'PURCHASE', external_name: 'HAUL-2026-0042', match_status: 'MATCHED', differences: [] },
    ],
  },
);
export type EInvoiceReceipt = Static<typeof EInvoiceReceipt>;

export const purchaseSchemas = [
  MatchStatus,
  MatchDifference,
  EInvoiceMatch,
  PurchaseInvoiceOutput,
  PurchaseCreditNoteOutput,
  SelfBillInput,
  EInvoiceJsonInput,
  EInvoiceMultipartBody,
  EInvoiceReceipt,
];
