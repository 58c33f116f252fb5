import type { Executor } from '../../../platform/db/database.js';
import { creditNoteOutput, displayName, invoiceOutput, type DocumentParts } from '../documents/documents.output.js';
import * as purchaseRepo from './purchase.repo.js';
import type { EInvoiceRow } from './purchase.repo.js';
import type { PurchaseCreditNoteOutput, PurchaseInvoiceOutput } from './purchase.schemas.js';

/**
 * A purchase document has the sales shape with the other party as `supplier`, the supplier's own
 * number as `external_name` and, for a received e-invoice, how it matched the agreed costs.
 */
function purchaseParts(parts: DocumentParts, einvoice: EInvoiceRow | undefined) {
  return {
    external_name: parts.row.external_name ?? displayName(parts.row),
    e_invoice: einvoice
      ? {
          format: einvoice.format,
          match_status: einvoice.match_status,
          differences: einvoice.differences,
          stated_totals: einvoice.stated_totals,
          payment: einvoice.stated_payment ?? null,
        }
      : null,
  };
}

export function purchaseInvoiceOutput(parts: DocumentParts, creditNoteIds: string[], einvoice: EInvoiceRow | undefined): PurchaseInvoiceOutput {
  const { customer, ...rest } = invoiceOutput(parts, creditNoteIds);
  return { ...rest, supplier: customer, ...purchaseParts(parts, einvoice) };
}

export function purchaseCreditNoteOutput(
  parts: DocumentParts,
  credited: PurchaseInvoiceOutput | null,
  einvoice: EInvoiceRow | undefined,
): PurchaseCreditNoteOutput {
  const { customer, credited_invoice: _sales, ...rest } = creditNoteOutput(parts, null);
  const lines = credited ? rest.line_items.map((l) => ({ ...l, invoice_name: credited.name })) : rest.line_items;
  return { ...rest, line_items: lines, supplier: customer, credited_invoice: credited, ...purchaseParts(parts, einvoice) };
}

export type PurchaseDocumentOutput = PurchaseInvoiceOutput | PurchaseCreditNoteOutput;

/** A purchase document's answer, for the shared core (its `BillingHooks`): with a received e-invoice's match. */
export async function purchaseDocumentOutput(
  executor: Executor,
  parts: DocumentParts,
  related: { creditNoteIds: string[]; credited: PurchaseDocumentOutput | null },
): Promise<PurchaseDocumentOutput> {
  const einvoice = await purchaseRepo.findEInvoice(executor, parts.row.tenant_id, parts.row.id);
  if (parts.row.kind === 'PURCHASE_INVOICE') return purchaseInvoiceOutput(parts, related.creditNoteIds, einvoice);
  return purchaseCreditNoteOutput(parts, related.credited as PurchaseInvoiceOutput | null, einvoice);
}
