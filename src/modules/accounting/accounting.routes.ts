import { Type } from '@sinclair/typebox';
import { principalOf } from '../../platform/http/auth.js';
import { IdParams, readErrors as readErrorsOf, writeErrors as writeErrorsOf } from '../../platform/http/schemas.js';
import { ref, type App } from '../../platform/http/types.js';
import {
  CreditInput,
  CustomFieldsPatch,
  DocumentFileList,
  FinalizeInput,
  InvoiceOrdersInput,
  PaymentStatusUpdate,
  RefundStatusUpdate,
  SalesCreditNoteInput,
  SalesCreditNoteOutput,
  SalesInvoiceInput,
  SalesInvoiceOutput,
} from './documents/documents.schemas.js';
import { contentDisposition } from '../../platform/http/file-names.js';
import { fileCacheHeaders, IfNoneMatchHeaders, NOT_MODIFIED_RESPONSE, sendNotModified } from '../../platform/http/file-download.js';
import type { BillingService } from './documents/documents.service.js';
import { customerMayList } from './documents/readers.policy.js';
import type { InvoicingService } from './sales/invoicing.service.js';
import type { PurchaseDocumentOutput } from './purchase/purchase.output.js';
import { PurchaseCreditNoteOutput, PurchaseInvoiceOutput } from './purchase/purchase.schemas.js';

/** Sales and purchase documents each have a tag of their own in /docs; a file serves both. */
const SALES_TAGS = ['Sales invoicing'];
const PURCHASE_TAGS = ['Purchase invoicing'];
const FILE_TAGS = ['E-invoicing'];
const TENANT = { roles: ['TENANT' as const] };
/** Reads a customer may make too: of the sales documents issued to its company (documents/readers.policy.ts). */
const TENANT_OR_CUSTOMER = { roles: ['TENANT' as const, 'CUSTOMER' as const] };
const readErrors = readErrorsOf(404);
const writeErrors = writeErrorsOf(404, 409);

const PAYMENT = { path: 'payment', schema: PaymentStatusUpdate, op: 'PaymentStatus' };
const REFUND = { path: 'refund', schema: RefundStatusUpdate, op: 'RefundStatus' };

/**
 * The four document kinds share every read and update route; only names and shapes differ. The
 * contract keeps underscore aliases for three of them (not for purchase credit notes).
 */
const KINDS = [
  {
    kind: 'SALES_INVOICE' as const,
    tags: SALES_TAGS,
    path: 'sales-invoice',
    legacy: 'sales_invoice',
    op: 'SalesInvoice',
    what: 'sales invoice',
    output: SalesInvoiceOutput,
    input: SalesInvoiceInput,
    payment: { ...PAYMENT, text: 'Record whether the customer has paid (PAID) or not (UNPAID).' },
  },
  {
    kind: 'SALES_CREDIT_NOTE' as const,
    tags: SALES_TAGS,
    path: 'sales-credit-note',
    legacy: 'sales_credit_note',
    op: 'SalesCreditNote',
    what: 'sales credit note',
    output: SalesCreditNoteOutput,
    input: SalesCreditNoteInput,
    payment: { ...REFUND, text: 'Record whether the credit has been refunded to the customer (REFUNDED) or not (OPEN).' },
  },
  {
    kind: 'PURCHASE_INVOICE' as const,
    tags: PURCHASE_TAGS,
    path: 'purchase-invoice',
    legacy: 'purchase_invoice',
    op: 'PurchaseInvoice',
    what: 'purchase invoice',
    output: PurchaseInvoiceOutput,
    input: null,
    payment: { ...PAYMENT, text: 'Record whether the subcontractor has been paid (PAID) or not (UNPAID).' },
  },
  {
    kind: 'PURCHASE_CREDIT_NOTE' as const,
    tags: PURCHASE_TAGS,
    path: 'purchase-credit-note',
    legacy: null,
    op: 'PurchaseCreditNote',
    what: 'purchase credit note',
    output: PurchaseCreditNoteOutput,
    input: null,
    payment: { ...REFUND, text: 'Record whether the subcontractor has refunded the credit (REFUNDED) or not (OPEN).' },
  },
];

export function billingRoutes(app: App, deps: { billing: BillingService<PurchaseDocumentOutput>; invoicing: InvoicingService }) {
  const { billing, invoicing } = deps;

  for (const k of KINDS) {
    const get = (id: string, request: Parameters<typeof principalOf>[0]) => {
      const principal = principalOf(request);
      if (k.kind === 'SALES_INVOICE') return billing.getInvoice(principal, id);
      return k.kind === 'SALES_CREDIT_NOTE' ? billing.getCreditNote(principal, id) : billing.getPurchase(principal, k.kind, id);
    };

    // The hyphenated paths, and the underscore ones the contract keeps as deprecated aliases.
    const readers = customerMayList(k.kind) ? TENANT_OR_CUSTOMER : TENANT;
    const customerNote = customerMayList(k.kind) ? ` Customer clients read only the ${k.what}s issued to their company (never drafts).` : '';
    for (const base of k.legacy ? [k.path, k.legacy] : [k.path]) {
      const deprecated = base === k.legacy;
      const suffix = deprecated ? 'Deprecated' : '';
      const note = deprecated ? ` Deprecated alias of /v1/accounting/${k.path}/{id}.` : '';

      app.get(`/v1/accounting/${base}/:id`, {
        config: readers,
        schema: {
          operationId: `get${k.op}${suffix}`,
          tags: k.tags,
          deprecated,
          summary: `Get a ${k.what}`,
          description: `The ${k.what} with its lines, totals per tax rate, the other party and the billing entity; \`status\` and the payment state are Waybill additions.${customerNote}${note}`,
          params: IdParams,
          response: { 200: ref(k.output), ...readErrors },
        },
        handler: async (request) => get(request.params.id, request),
      });

      app.patch(`/v1/accounting/${base}/:id`, {
        config: TENANT,
        schema: {
          operationId: `patch${k.op}${suffix}`,
          tags: k.tags,
          deprecated,
          summary: `Update a ${k.what}’s custom fields`,
          description: `Merges the given custom fields (an external ledger reference, say) into the document's; nothing else of a document can change.${note}`,
          params: IdParams,
          body: ref(CustomFieldsPatch),
          response: { 200: ref(k.output), ...writeErrors },
        },
        handler: async (request) => billing.patchCustomFields(principalOf(request), k.kind, request.params.id, request.body),
      });

      app.get(`/v1/accounting/${base}/:id/documents`, {
        config: readers,
        schema: {
          operationId: `list${k.op}Documents${suffix}`,
          tags: k.tags,
          deprecated,
          summary: `List a ${k.what}’s files`,
          description: `The files rendered for the finalized document (none for a draft), and the files a supplier sent with its e-invoice, typed INVOICE, CREDIT_NOTE or OTHER.${customerNote}${note}`,
          params: IdParams,
          response: { 200: ref(DocumentFileList), ...readErrors },
        },
        handler: async (request) => billing.files(principalOf(request), k.kind, request.params.id),
      });

      app.post(`/v1/accounting/${base}/:id/${k.payment.path}/update-status`, {
        config: TENANT,
        schema: {
          operationId: `update${k.op}${k.payment.op}${suffix}`,
          tags: k.tags,
          deprecated,
          summary: `Set a ${k.what}’s ${k.payment.path} status`,
          description: `${k.payment.text} Only for finalized documents; a change is pushed as accounting visibility.${note}`,
          params: IdParams,
          body: ref(k.payment.schema),
          response: { 200: ref(k.payment.schema), ...writeErrors },
        },
        handler: async (request) => billing.setPaymentStatus(principalOf(request), k.kind, request.params.id, request.body.status),
      });
    }

    // Only sales documents can be recorded from outside; purchase ones come from trips or e-invoices.
    const input = k.input;
    if (input) {
      app.post(`/v1/accounting/${k.path}/`, {
        config: TENANT,
        schema: {
          operationId: `create${k.op}`,
          tags: k.tags,
          summary: `Record a ${k.what} made in the accounting package`,
          description: `For ${k.what.replace('sales ', '')}s an accounting package issued itself: stored numbered and already posted, so no sync task is created for them. An empty \`charges\` is refused with 400: a document without lines has nothing to post.`,
          body: ref(input),
          response: { 200: ref(k.output), ...writeErrors },
        },
        handler: async (request) =>
          k.kind === 'SALES_INVOICE'
            ? invoicing.createExternalInvoice(principalOf(request), request.body as SalesInvoiceInput)
            : invoicing.createExternalCreditNote(principalOf(request), request.body),
      });
    }

    app.post(`/v1/accounting/${k.path}/:id/finalize`, {
      config: TENANT,
      schema: {
        operationId: `finalize${k.op}`,
        tags: k.tags,
        summary: `Finalize a draft ${k.what} (Waybill)`,
        description:
          'Gives the draft the next number of its billing entity’s series for the year (gap-free), fixes its date (today when omitted; a received e-invoice keeps its own; never earlier than the previous number’s date, else 409) and due date (from the other party’s payment term), and makes it immutable. Charges in another currency are converted at the rate in force on that date, and a document in another currency than the books records that rate (409 when none is recorded). A POST task for the accounting package is created at the same time. A received e-invoice that does not match the agreed costs cannot be finalized (409).',
        params: IdParams,
        body: ref(FinalizeInput),
        response: { 200: ref(k.output), ...writeErrors },
      },
      handler: async (request) => billing.finalize(principalOf(request), k.kind, request.params.id, request.body ?? {}),
    });

    app.delete(`/v1/accounting/${k.path}/:id`, {
      config: TENANT,
      schema: {
        operationId: `deleteDraft${k.op}`,
        tags: k.tags,
        summary: `Delete a draft ${k.what} (Waybill)`,
        description: 'Only drafts can be deleted; their charges can then be invoiced again. A finalized document is corrected by a credit note.',
        params: IdParams,
        response: { 204: { type: 'null', description: 'Deleted' }, ...writeErrors },
      },
      handler: async (request, reply) => {
        await invoicing.deleteDraft(principalOf(request), k.kind, request.params.id);
        return reply.code(204).send();
      },
    });
  }

  app.get('/v1/accounting/files/:id', {
    config: TENANT_OR_CUSTOMER,
    schema: {
      operationId: 'downloadBillingFile',
      tags: FILE_TAGS,
      summary: 'Download an invoice or credit note file (Waybill)',
      description:
        'The PDF or the UBL 2.1 / Peppol BIS Billing 3.0 XML of a finalized document (the bytes stored when it was issued), or a file received with an e-invoice byte for byte, as listed by its `/documents`. `ETag` is the SHA-256 of the bytes and `Content-Length` their length; send that ETag back as `If-None-Match` to get `304 Not Modified` without the bytes (an issued file never changes). ' +
        'Customer clients download only the files of the sales invoices and credit notes issued to their company.',
      params: IdParams,
      headers: IfNoneMatchHeaders,
      response: {
        200: {
          description: 'The file’s bytes',
          content: {
            'application/pdf': { schema: Type.String({ format: 'binary', examples: ['%PDF-1.7 …'] }) },
            'application/xml': { schema: Type.String({ format: 'binary', examples: ['<?xml version="1.0" encoding="UTF-8"?><Invoice …'] }) },
          },
        },
        ...NOT_MODIFIED_RESPONSE,
        ...readErrors,
      },
    },
    handler: async (request, reply) => {
      const file = await billing.download(principalOf(request), request.params.id, request.headers['if-none-match']);
      if ('notModified' in file) return sendNotModified(reply, file);
      return (
        fileCacheHeaders(reply, file.sha256)
          .type(file.contentType)
          .header('content-length', file.size)
          // A received file keeps the supplier's name, which may hold quotes or non-ASCII characters.
          .header('content-disposition', contentDisposition(file.name))
          .send(file.body)
      );
    },
  });

  app.post('/v1/accounting/sales-invoice/from-orders', {
    config: TENANT,
    schema: {
      operationId: 'invoiceOrders',
      tags: SALES_TAGS,
      summary: 'Invoice orders’ approved charges as a draft (Waybill)',
      description:
        'Takes every approved charge of the orders that no invoice holds yet into one draft invoice. The orders must belong to one customer, and their charges to one billing entity and currency.',
      body: ref(InvoiceOrdersInput),
      response: { 200: ref(SalesInvoiceOutput), ...writeErrors },
    },
    handler: async (request) => invoicing.invoiceOrders(principalOf(request), request.body),
  });

  app.post('/v1/accounting/sales-invoice/:id/credit', {
    config: TENANT,
    schema: {
      operationId: 'creditSalesInvoice',
      tags: SALES_TAGS,
      summary: 'Credit a finalized invoice, fully or in part (Waybill)',
      description:
        'Makes a draft credit note for what is left to credit on the invoice, or for the given amounts per line. Together, an invoice’s credit notes never exceed it, tax included. The credited invoice is part of the answer.',
      params: IdParams,
      body: ref(CreditInput),
      response: { 200: ref(SalesCreditNoteOutput), ...writeErrors },
    },
    handler: async (request) => invoicing.credit(principalOf(request), request.params.id, request.body ?? {}),
  });
}
