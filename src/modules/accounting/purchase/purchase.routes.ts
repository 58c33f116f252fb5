import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../../../platform/http/auth.js';
import { badRequest } from '../../../platform/http/errors.js';
import { IdParams, errorResponses, writeErrors as writeErrorsOf } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import { CreditInput } from '../documents/documents.schemas.js';
import { MAX_EINVOICE_PARTS, readEInvoiceForm } from './einvoice.input.js';
import { fromJson, type ParsedEInvoice } from './einvoice.parse.js';
import { receivedXmlFile, type EInvoiceService } from './einvoice.service.js';
import type { InvoicingService } from '../sales/invoicing.service.js';
import {
  EInvoiceJsonInput,
  EInvoiceMultipartBody,
  EInvoiceReceipt,
  PurchaseCreditNoteOutput,
  PurchaseInvoiceOutput,
  SelfBillInput,
} from './purchase.schemas.js';
import type { PurchaseService } from './purchase.service.js';

const TAGS = ['Purchase invoicing'];
const TENANT = { roles: ['TENANT' as const] };
const writeErrors = writeErrorsOf(404, 409);
const XML_TYPES = ['application/xml', 'text/xml'];

/** Waybill's purchase-side actions (self-billing, crediting) and the contract's e-invoicing webhook. */
export function purchaseRoutes(
  app: App,
  deps: {
    purchase: PurchaseService;
    invoicing: InvoicingService;
    einvoices: EInvoiceService;
    /** Parses an XML e-invoice off the request thread. */
    readXml: (xml: string) => Promise<ParsedEInvoice>;
    bodyLimit: number;
    maxBytes: number;
  },
) {
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
      description:
        'A draft purchase credit note for what is left to credit on the invoice, or for the given amounts per line; together the credit notes never exceed the invoice, tax included.',
      params: IdParams,
      body: ref(CreditInput),
      response: { 200: ref(PurchaseCreditNoteOutput), ...writeErrors },
    },
    handler: async (request) => invoicing.creditPurchase(principalOf(request), request.params.id, request.body ?? {}) as Promise<PurchaseCreditNoteOutput>,
  });

  // XML bodies are read as text, and multipart forms parsed, here only; the rest of the API takes JSON.
  app.register(async (scoped) => {
    scoped.addContentTypeParser(XML_TYPES, { parseAs: 'string', bodyLimit: deps.bodyLimit }, (_request, body, done) => done(null, body));
    // One byte more than the limit reaches the size check, which then refuses the file with a 413
    // (with the limit itself, busboy would cut the file silently). One part more than allowed is
    // read, so that it is refused as a 400 naming the limit rather than the parser's 413.
    await scoped.register(multipart, {
      limits: {
        fileSize: deps.maxBytes + 1,
        fieldSize: deps.bodyLimit,
        files: MAX_EINVOICE_PARTS + 1,
        fields: MAX_EINVOICE_PARTS + 1,
        parts: MAX_EINVOICE_PARTS + 1,
        headerPairs: 100,
      },
    });
    (scoped as App).post('/v1/webhook/e-invoicing', {
      config: { auth: 'basic', roles: ['SUBCONTRACTOR'], upload: true },
      // A multipart body has no parsed body for the schema to check: its JSON part is checked in the
      // handler with the application/json validator, and other bodies' errors are thrown there.
      attachValidation: true,
      schema: {
        security: [{ webhookBasic: [] }],
        operationId: 'receiveEInvoice',
        tags: ['E-invoicing'],
        summary: 'Send an e-invoice (subcontractor)',
        description:
          'A subcontractor’s invoice or credit note for its own trips: the contract’s JSON, a UBL 2.1 Invoice/CreditNote or a UN/CEFACT CII CrossIndustryInvoice (`application/xml`), ' +
          'or a `multipart/form-data` form whose first part is the JSON document and whose later parts are files sent with it (XML as the first part is a 415). ' +
          'It is recorded as a draft purchase document and matched to the caller’s trips by the trip or order references it carries, else by the agreed price. ' +
          'Its seller must be the caller (by `supplier.id`, VAT number or Peppol id, when the document names them) and its buyer one of the tenant’s billing entities (by VAT number or Peppol id; XML must name it, the JSON may in `buyer`, else the default entity): otherwise a 400 naming the party. ' +
          'The answer says MATCHED, MISMATCH (with the differences: amounts, currency, trips billed already, totals that do not add up) or UNMATCHED; only a MATCHED invoice can be finalized. ' +
          'It keeps the supplier’s number (as `name` and `external_name`), dates and payee account (`e_invoice.payment`): finalizing approves it without a number of Waybill’s series, and it renders no PDF or UBL of its own. ' +
          'Files sent with it (the JSON `attachments`, the form’s later parts, UBL embedded documents, CII attachment objects) are kept with the draft and listed under its `/documents`, and so is an XML e-invoice itself (type INVOICE or CREDIT_NOTE, `application/xml`, downloadable as received); ' +
          'one that is not base64 is a 400, one over the document size limit a 413, and then nothing is recorded. ' +
          'An empty `line_items` is refused with 400 (lines are what is matched to trips), and so is a `tax_type` outside the contract’s TaxRateType.',
        body: {
          content: {
            'application/json': { schema: ref(EInvoiceJsonInput) },
            ...Object.fromEntries(
              XML_TYPES.map((t) => [
                t,
                { schema: Type.String({ maxLength: deps.bodyLimit, examples: ['<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" …'] }) },
              ]),
            ),
            'multipart/form-data': { schema: ref(EInvoiceMultipartBody) },
          },
        },
        response: { 200: ref(EInvoiceReceipt), ...errorResponses },
      },
      handler: async (request) => {
        if (request.isMultipart()) {
          // The whole form may be as large as a JSON body, or as one file of the largest size.
          const form = await readEInvoiceForm(request, Math.max(deps.bodyLimit, deps.maxBytes), jsonValidator(request));
          return einvoices.receive(principalOf(request), fromJson(form.document), form.files);
        }
        if (request.validationError) throw request.validationError;
        const body = request.body as EInvoiceJsonInput | string | undefined;
        if (body === undefined || body === null || body === '') {
          throw badRequest('Send the e-invoice: JSON, UBL or CII XML, or a multipart form (the body is empty)');
        }
        if (typeof body !== 'string') return einvoices.receive(principalOf(request), fromJson(body));
        const parsed = await deps.readXml(body);
        return einvoices.receive(principalOf(request), parsed, [receivedXmlFile(parsed, body)]);
      },
    });
  });
}

type Validate = ((value: unknown) => boolean) & { errors?: unknown[] | null };

/**
 * The route's own compiled application/json body validator, so the form's JSON part is held to the
 * same rules; a failure is thrown as Fastify throws its own, and answered with the same details.
 */
function jsonValidator(request: FastifyRequest) {
  const validate = (request.getValidationFunction('body') as unknown as Record<string, Validate>)['application/json'] as Validate;
  return (document: unknown) => {
    if (validate(document)) return;
    throw Object.assign(new Error('Invalid body'), { statusCode: 400, validation: validate.errors, validationContext: 'body' });
  };
}
