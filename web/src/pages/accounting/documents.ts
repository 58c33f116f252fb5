import { api, unwrap } from '../../api/client';
import type { components } from '../../api/openapi';
import type { MessageKey, Translate } from '../../i18n';
import { labelFrom } from '../../ui/format';

/**
 * The four kinds of accounting document as the console names them: the segment of their API path
 * (`/v1/accounting/<kind>/`), reused as the segment of the console's own addresses.
 */
export const KINDS = ['sales-invoice', 'sales-credit-note', 'purchase-invoice', 'purchase-credit-note'] as const;
export type Kind = (typeof KINDS)[number];
export const isKind = (value: string | null | undefined): value is Kind => KINDS.includes(value as Kind);

type Schemas = components['schemas'];
export type SalesInvoice = Schemas['SalesInvoiceOutput'];
export type SalesCreditNote = Schemas['SalesCreditNoteOutput'];
export type PurchaseInvoice = Schemas['PurchaseInvoice'];
export type PurchaseCreditNote = Schemas['PurchaseCreditNote'];
export type AnyDocument = SalesInvoice | SalesCreditNote | PurchaseInvoice | PurchaseCreditNote;
export type CompanySummary = Schemas['CompanySummaryOutput'];
export type DocumentFile = Schemas['BillingDocumentFile'];
export type SubjectType = Schemas['SubjectType'];

export interface KindInfo {
  title: MessageKey;
  one: MessageKey;
  party: 'customer' | 'supplier';
  credit: boolean;
}

export const KIND_INFO: Record<Kind, KindInfo> = {
  'sales-invoice': { title: 'accounting.kind.sales-invoice', one: 'accounting.one.sales-invoice', party: 'customer', credit: false },
  'sales-credit-note': { title: 'accounting.kind.sales-credit-note', one: 'accounting.one.sales-credit-note', party: 'customer', credit: true },
  'purchase-invoice': { title: 'accounting.kind.purchase-invoice', one: 'accounting.one.purchase-invoice', party: 'supplier', credit: false },
  'purchase-credit-note': { title: 'accounting.kind.purchase-credit-note', one: 'accounting.one.purchase-credit-note', party: 'supplier', credit: true },
};

/** A sync task's `subject_type` → the console's kind. */
export const KIND_OF_SUBJECT: Record<SubjectType, Kind> = {
  SALES_INVOICE: 'sales-invoice',
  SALES_CREDIT_NOTE: 'sales-credit-note',
  PURCHASE_INVOICE: 'purchase-invoice',
  PURCHASE_CREDIT_NOTE: 'purchase-credit-note',
};

/** The states a list can be filtered by (PRE_INVOICED is never stored, so it is not offered). */
export const statusesOf = (kind: Kind): string[] =>
  KIND_INFO[kind].credit
    ? (['DRAFT', 'INVOICED', 'POSTED'] satisfies components['schemas']['CreditNoteStatus'][])
    : (['DRAFT', 'INVOICED', 'INVOICE_POSTED'] satisfies components['schemas']['InvoiceStatus'][]);

export const partyOf = (document: AnyDocument): CompanySummary => ('supplier' in document ? document.supplier : document.customer);

const STATUS_KEYS: Record<string, MessageKey> = {
  DRAFT: 'accounting.status.DRAFT',
  PRE_INVOICED: 'accounting.status.DRAFT',
  INVOICED: 'accounting.status.INVOICED',
  INVOICE_POSTED: 'accounting.status.POSTED',
  POSTED: 'accounting.status.POSTED',
};

/** A state in words: DRAFT, INVOICED (finalized) and POSTED, whichever the kind's name for it. */
export const documentStatusLabel = (t: Translate, status: string): string => labelFrom(t, STATUS_KEYS, status);

const SETTLEMENT_KEYS: Record<string, MessageKey> = {
  PAID: 'accounting.settlement.PAID',
  UNPAID: 'accounting.settlement.UNPAID',
  OPEN: 'accounting.settlement.OPEN',
  REFUNDED: 'accounting.settlement.REFUNDED',
};

/** Paid, unpaid, open or refunded in words. */
export const settlementLabel = (t: Translate, value: string): string => labelFrom(t, SETTLEMENT_KEYS, value);

/** PAID/UNPAID for an invoice, OPEN/REFUNDED for a credit note. */
export const settlementOf = (document: AnyDocument): string => ('payment_status' in document ? document.payment_status : document.refund_status);

export interface ListFilters {
  status?: string;
  party?: string;
  billingEntity?: string;
  from?: string;
  to?: string;
}

interface Page {
  items: AnyDocument[];
  next_cursor?: string | null;
}

/** One page of a kind's list; the four lists take the same filters, the party under its own name. */
export function listDocuments(kind: Kind, filters: ListFilters, cursor: string | undefined, limit: number): Promise<Page> {
  const common = {
    billing_entity_code: filters.billingEntity,
    'date:gte': filters.from,
    'date:lte': filters.to,
    cursor,
    limit,
  };
  switch (kind) {
    case 'sales-invoice':
      return unwrap(
        api.GET('/v1/accounting/sales-invoice/', {
          params: { query: { ...common, status: filters.status as SalesInvoice['status'] | undefined, customer_id: filters.party } },
        }),
      );
    case 'sales-credit-note':
      return unwrap(
        api.GET('/v1/accounting/sales-credit-note/', {
          params: { query: { ...common, status: filters.status as SalesCreditNote['status'] | undefined, customer_id: filters.party } },
        }),
      );
    case 'purchase-invoice':
      return unwrap(
        api.GET('/v1/accounting/purchase-invoice/', {
          params: { query: { ...common, status: filters.status as PurchaseInvoice['status'] | undefined, supplier_id: filters.party } },
        }),
      );
    case 'purchase-credit-note':
      return unwrap(
        api.GET('/v1/accounting/purchase-credit-note/', {
          params: { query: { ...common, status: filters.status as PurchaseCreditNote['status'] | undefined, supplier_id: filters.party } },
        }),
      );
  }
}

export function getDocument(kind: Kind, id: string): Promise<AnyDocument> {
  const params = { params: { path: { id } } };
  switch (kind) {
    case 'sales-invoice':
      return unwrap(api.GET('/v1/accounting/sales-invoice/{id}', params));
    case 'sales-credit-note':
      return unwrap(api.GET('/v1/accounting/sales-credit-note/{id}', params));
    case 'purchase-invoice':
      return unwrap(api.GET('/v1/accounting/purchase-invoice/{id}', params));
    case 'purchase-credit-note':
      return unwrap(api.GET('/v1/accounting/purchase-credit-note/{id}', params));
  }
}

export function listFiles(kind: Kind, id: string): Promise<DocumentFile[]> {
  const params = { params: { path: { id } } };
  switch (kind) {
    case 'sales-invoice':
      return unwrap(api.GET('/v1/accounting/sales-invoice/{id}/documents', params));
    case 'sales-credit-note':
      return unwrap(api.GET('/v1/accounting/sales-credit-note/{id}/documents', params));
    case 'purchase-invoice':
      return unwrap(api.GET('/v1/accounting/purchase-invoice/{id}/documents', params));
    case 'purchase-credit-note':
      return unwrap(api.GET('/v1/accounting/purchase-credit-note/{id}/documents', params));
  }
}

/** A file's bytes, through the same session as every other call (a plain link could not be previewed in a frame). */
export async function downloadFile(id: string): Promise<Blob> {
  return unwrap(api.GET('/v1/accounting/files/{id}', { params: { path: { id } }, parseAs: 'blob' })) as Promise<Blob>;
}
