import type { TSchema } from '@sinclair/typebox';
import { principalOf } from '../../../platform/http/auth.js';
import { readErrors } from '../../../platform/http/schemas.js';
import { ref, type App } from '../../../platform/http/types.js';
import type { DocumentKind } from '../documents/documents.tables.js';
import {
  PurchaseCreditNoteList,
  PurchaseCreditNoteListQuery,
  PurchaseInvoiceList,
  PurchaseInvoiceListQuery,
  SalesCreditNoteList,
  SalesCreditNoteListQuery,
  SalesInvoiceList,
  SalesInvoiceListQuery,
  type DocumentListQuery,
} from './lists.schemas.js';
import type { ListsService } from './lists.service.js';
import { customerMayList } from '../documents/readers.policy.js';

const LISTS: Array<{ kind: DocumentKind; path: string; op: string; what: string; party: string; list: TSchema; query: TSchema }> = [
  {
    kind: 'SALES_INVOICE',
    path: 'sales-invoice',
    op: 'SalesInvoices',
    what: 'sales invoices',
    party: 'customer',
    list: SalesInvoiceList,
    query: SalesInvoiceListQuery,
  },
  {
    kind: 'SALES_CREDIT_NOTE',
    path: 'sales-credit-note',
    op: 'SalesCreditNotes',
    what: 'sales credit notes',
    party: 'customer',
    list: SalesCreditNoteList,
    query: SalesCreditNoteListQuery,
  },
  {
    kind: 'PURCHASE_INVOICE',
    path: 'purchase-invoice',
    op: 'PurchaseInvoices',
    what: 'purchase invoices',
    party: 'supplier',
    list: PurchaseInvoiceList,
    query: PurchaseInvoiceListQuery,
  },
  {
    kind: 'PURCHASE_CREDIT_NOTE',
    path: 'purchase-credit-note',
    op: 'PurchaseCreditNotes',
    what: 'purchase credit notes',
    party: 'supplier',
    list: PurchaseCreditNoteList,
    query: PurchaseCreditNoteListQuery,
  },
];

export function listsRoutes(app: App, deps: { lists: ListsService }) {
  for (const l of LISTS) {
    const url = `/v1/accounting/${l.path}/`;
    app.get(url, {
      // A customer lists the sales documents issued to it (lists.service.ts narrows them).
      config: { roles: customerMayList(l.kind) ? ['TENANT', 'CUSTOMER'] : ['TENANT'] },
      schema: {
        operationId: `list${l.op}`,
        tags: [l.party === 'customer' ? 'Sales invoicing' : 'Purchase invoicing'],
        summary: `List ${l.what} (Waybill)`,
        description:
          `The tenant’s ${l.what}, drafts included, each as its GET answers it, in the order they last changed (\`updated_at\`, then id). ` +
          `Filters, all optional and combined: \`status\`, \`${l.party}_id\`, \`billing_entity_code\`, the document date from \`date:gte\` to \`date:lte\` (inclusive), and \`updated_after\`. ` +
          'To keep a ledger in step, list with `updated_after` set to the latest `updated_at` already read: a change is given a time after every change committed before it, so none is passed over. ' +
          'Pages hold up to `limit` documents (50 by default, 200 at most); `next_cursor` and the `Link: <…>; rel="next"` header lead to the next page, and a cursor may be sent alone or with the same filters. ' +
          'A query parameter not listed here is a 400 naming it.' +
          (customerMayList(l.kind) ? ` Customer clients list only the ${l.what} issued to their company, never drafts.` : ''),
        querystring: l.query,
        response: { 200: ref(l.list as typeof SalesInvoiceList), ...readErrors() },
      },
      handler: async (request, reply) => {
        const page = await deps.lists.list(principalOf(request), l.kind, request.query as DocumentListQuery);
        if (page.next_cursor) void reply.header('link', `<${url}?cursor=${page.next_cursor}>; rel="next"`);
        return page as never;
      },
    });
  }
}
