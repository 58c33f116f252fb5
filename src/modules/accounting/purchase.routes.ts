import { Type } from '@sinclair/typebox';
import { principalOf } from '../../platform/http/auth.js';
import { IdParams, errorResponses, writeErrors as writeErrorsOf } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import { CreditInput } from './billing.schemas.js';
import { fromJson, fromXml } from './einvoice.parse.js';
import type { EInvoiceService } from './einvoice.service.js';
import type { InvoicingService } from './invoicing.service.js';
import { EInvoiceJsonInput, EInvoiceReceipt, PurchaseCreditNoteOutput, PurchaseInvoiceOutput, SelfBillInput } from './purchase.schemas.js';
import type { PurchaseService } from './purchase.service.js';

const TAGS = ['Accounting'];
const TENANT = { roles: ['TENANT' as const] };
const writeErrors = writeErrorsOf(404, 409);
const XML_TYPES = ['application/xml', 'text/xml'];

/** Waybill's purchase-side actions (self-billing, crediting) and the contract's e-invoicing webhook. */
export function purchaseRoutes(app: App, deps: { purchase: PurchaseService; invoicing: InvoicingService; einvoices: EInvoiceService; bodyLimit: number }) {
  const { purchase, invoicing, einvoices } = deps;

  app.post('/v1/accounting/purchase-invoice/self-bill', {
    config: TENANT,
    schema: {
      operationId: 'selfBillTrips',
      tags: TAGS,
      summary: 'Self-bill a subcontractor’s completed trips as a draft purchase invoice (Waybill)',
      description:
        'Takes the agreed purchase price of every completed, not yet billed trip of the subcontractor (or of the listed trips) into one draft purchase invoice, a line per trip. ' +
        'A trip is billed at most once: listing a billed trip is a 409. Finalizing numbers it in the PINV series and creates a POST_INVOICE_PURCHASE task; its UBL is a self-billing invoice (type 389).',
      body: ref(SelfBillInput),
      response: { 200: ref(PurchaseInvoiceOutput), ...writeErrors },
    },
    handler: async (request) => purchase.selfBill(principalOf(request), request.body) as Promise<PurchaseInvoiceOutput>,
  });

  app.post('/v1/accounting/purchase-invoice/:id/credit', {
    config: TENANT,
    schema: {
      operationId: 'creditPurchaseInvoice',
      tags: TAGS,
      summary: 'Credit a finalized purchase invoice, fully or in part (Waybill)',
      description: 'A draft purchase credit note for what is left to credit on the invoice, or for the given amounts per line; together the credit notes never exceed the invoice, tax included.',
      params: IdParams,
      body: ref(CreditInput),
      response: { 200: ref(PurchaseCreditNoteOutput), ...writeErrors },
    },
    handler: async (request) => invoicing.creditPurchase(principalOf(request), request.params.id, request.body ?? {}) as Promise<PurchaseCreditNoteOutput>,
  });

  // XML bodies are read as text here only; the rest of the API takes JSON.
  app.register(async (scoped) => {
    scoped.addContentTypeParser(XML_TYPES, { parseAs: 'string', bodyLimit: deps.bodyLimit }, (_request, body, done) => done(null, body));
    (scoped as App).post('/v1/webhook/e-invoicing', {
      config: { auth: 'basic', roles: ['SUBCONTRACTOR'] },
      schema: {
        security: [{ webhookBasic: [] }],
        operationId: 'receiveEInvoice',
        tags: TAGS,
        summary: 'Send an e-invoice (subcontractor)',
        description:
          'A subcontractor’s invoice or credit note for its own trips: the contract’s JSON, a UBL 2.1 Invoice/CreditNote or a UN/CEFACT CII CrossIndustryInvoice (`application/xml`). ' +
          'It is recorded as a draft purchase document and matched to the caller’s trips by the trip or order references it carries, else by the agreed price. ' +
          'The answer says MATCHED, MISMATCH (with the differences: amounts, currency, trips billed already, totals that do not add up) or UNMATCHED; only a MATCHED invoice can be finalized. ' +
          'Files sent with it (the JSON `attachments`, UBL embedded documents, CII attachment objects) are kept with the draft and listed under its `/documents`; one that is not base64 is a 400, one over the document size limit a 413, and then nothing is recorded.',
        body: {
          content: {
            'application/json': { schema: ref(EInvoiceJsonInput) },
            ...Object.fromEntries(XML_TYPES.map((t) => [t, { schema: Type.String({ maxLength: deps.bodyLimit, examples: ['<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" …'] }) }])),
          },
        },
        response: { 200: ref(EInvoiceReceipt), ...errorResponses },
      },
      handler: async (request) => {
        const body = request.body as EInvoiceJsonInput | string;
        return einvoices.receive(principalOf(request), typeof body === 'string' ? fromXml(body) : fromJson(body));
      },
    });
  });
}
