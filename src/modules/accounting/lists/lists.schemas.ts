import { Type, type TSchema } from '@sinclair/typebox';
import { DateTime, Page, PageQuery, Str } from '../../../platform/http/schemas.js';
import { ref } from '../../../platform/http/types.js';
import { CreditNoteStatus, InvoiceStatus, SalesCreditNoteOutput, SalesInvoiceOutput } from '../documents/documents.schemas.js';
import { PurchaseCreditNoteOutput, PurchaseInvoiceOutput } from '../purchase/purchase.schemas.js';

/**
 * The document lists (Waybill additions: the contract reads documents one by one, through their
 * sync tasks). A page has the contract's list shape, `{items, next_cursor}`. Unknown parameters are
 * refused (`additionalProperties: false`), so a misspelt filter never silently lists everything.
 */

/** Documents are large (lines, parties, the credited invoice): pages are smaller than the other lists'. */
export const MAX_DOCUMENTS_PER_PAGE = 200;

const dateTimeRule = { format: DateTime.format, maxLength: DateTime.maxLength, pattern: DateTime.pattern };

const listQuery = (party: 'customer_id' | 'supplier_id', status: TSchema) =>
  Type.Object(
    {
      status: Type.Optional(ref(status as typeof InvoiceStatus, { description: 'Only documents in this state.' })),
      [party]: Type.Optional(
        Type.String({ format: 'uuid', maxLength: 36, description: `Only this ${party === 'customer_id' ? 'customer' : 'supplier'}’s documents.` }),
      ),
      billing_entity_code: Type.Optional(Str(50, { description: 'Only the documents of this billing entity.' })),
      'date:gte': Type.Optional(
        Type.String({ format: 'date', maxLength: 10, description: 'Only documents dated on or after this day (a draft is dated the day it was made).' }),
      ),
      'date:lte': Type.Optional(Type.String({ format: 'date', maxLength: 10, description: 'Only documents dated on or before this day.' })),
      updated_after: Type.Optional(Type.String({ ...dateTimeRule, description: 'Only documents that changed after this instant (their `updated_at`).' })),
      cursor: PageQuery.cursor,
      limit: Type.Optional(
        Type.Integer({ minimum: 1, maximum: MAX_DOCUMENTS_PER_PAGE, default: 50, description: `Documents per page (at most ${MAX_DOCUMENTS_PER_PAGE}).` }),
      ),
    },
    { additionalProperties: false },
  );

export const SalesInvoiceListQuery = listQuery('customer_id', InvoiceStatus);
export const SalesCreditNoteListQuery = listQuery('customer_id', CreditNoteStatus);
export const PurchaseInvoiceListQuery = listQuery('supplier_id', InvoiceStatus);
export const PurchaseCreditNoteListQuery = listQuery('supplier_id', CreditNoteStatus);

/** What every list takes, whichever the party's name. */
export interface DocumentListQuery {
  status?: string;
  customer_id?: string;
  supplier_id?: string;
  billing_entity_code?: string;
  'date:gte'?: string;
  'date:lte'?: string;
  updated_after?: string;
  cursor?: string;
  limit?: number;
}

const first = <T extends TSchema>(schema: T) => [{ items: (schema as { examples?: unknown[] }).examples?.slice(0, 1) ?? [], next_cursor: null }];

export const SalesInvoiceList = Page(ref(SalesInvoiceOutput), 'SalesInvoiceList', first(SalesInvoiceOutput));
export const SalesCreditNoteList = Page(ref(SalesCreditNoteOutput), 'SalesCreditNoteList', first(SalesCreditNoteOutput));
export const PurchaseInvoiceList = Page(ref(PurchaseInvoiceOutput), 'PurchaseInvoiceList', first(PurchaseInvoiceOutput));
export const PurchaseCreditNoteList = Page(ref(PurchaseCreditNoteOutput), 'PurchaseCreditNoteList', first(PurchaseCreditNoteOutput));

export const listSchemas = [SalesInvoiceList, SalesCreditNoteList, PurchaseInvoiceList, PurchaseCreditNoteList];
