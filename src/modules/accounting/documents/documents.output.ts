import { Dec, moneyString, plainString } from '../../../platform/money.js';
import type { DocumentKind, DocumentStatus } from './documents.tables.js';
import type { DocumentRow, LineRow } from './documents.repo.js';
import type { CompanySummaryOutput, LineItem, SalesCreditNoteOutput, SalesInvoiceOutput } from './documents.schemas.js';
import type { AccountingConversion } from './conversion.service.js';
import { hasAllowance } from './totals.policy.js';
import type { BillingEntityRow } from '../reference/reference.repo.js';
import type { CompanyParty } from '../../companies/index.js';
import { billingEntityOutput } from '../reference/reference.service.js';

/**
 * The other party of a document as accounting reads it: the fields of what companies' service
 * answers that a document shows and bills by, so accounting depends on no table row of another module.
 */
export interface BillingParty {
  id: string;
  name: string;
  currency: string;
  code: string | null;
  accounting_code: string | null;
  is_customer: boolean;
  is_subcontractor: boolean;
  details: CompanyParty['details'];
}
import { vatGroupKey } from './vat-category.policy.js';

/** The contract spells the posted state differently for invoices and credit notes. */
/** The contract's name for an invoice's status: a posted invoice is INVOICE_POSTED (a posted credit note stays POSTED). */
const invoiceStatus = (status: DocumentStatus): SalesInvoiceOutput['status'] => (status === 'POSTED' ? 'INVOICE_POSTED' : status);

export function contractStatus(kind: DocumentKind, status: DocumentStatus): SalesInvoiceOutput['status'] | SalesCreditNoteOutput['status'] {
  return kind.endsWith('INVOICE') ? invoiceStatus(status) : status;
}

/** The customer's payment term: the sales role's own term first, then the company's. */
export function paymentTermOf(company: BillingParty): string | null {
  const details = company.details;
  return details.sales?.payment_term?.code ?? details.payment_term?.code ?? null;
}

export function companySummary(company: BillingParty): CompanySummaryOutput {
  const details = company.details;
  const term = paymentTermOf(company);
  return {
    id: company.id,
    name: company.name,
    currency: company.currency,
    code: company.code,
    accounting_code: company.accounting_code,
    legal_name: details.legal_name ?? null,
    vat_number: details.vat_number ?? null,
    is_customer: company.is_customer,
    is_subcontractor: company.is_subcontractor,
    payment_term: term ? { code: term } : null,
  };
}

function lineItem(line: LineRow, currency: string, invoiceName: string | null): LineItem {
  return {
    id: line.id,
    invoice_line_id: line.id,
    name: line.name,
    amount: moneyString(new Dec(line.amount), currency),
    code: line.code,
    currency,
    description: line.description,
    quantity: plainString(new Dec(line.quantity)),
    unit_price: plainString(new Dec(line.unit_price)),
    account: line.account_code ? { code: line.account_code } : null,
    tax_rate: { id: line.tax_rate_id, name: line.tax_name, percentage: new Dec(line.tax_percentage).toNumber(), code: line.tax_code, tax_type: line.tax_type },
    base_tax_rate: null,
    order_id: line.order_id,
    order_name: line.order_name,
    trip_id: line.trip_id,
    is_credit_charge: line.credited_line_id !== null,
    invoice_name: invoiceName,
    fraction: '1',
    allowance: hasAllowance(line)
      ? {
          percentage: line.allowance_percentage ? plainString(new Dec(line.allowance_percentage)) : null,
          base_amount: moneyString(new Dec(line.amount).plus(line.allowance_amount as string), currency),
          amount: moneyString(new Dec(line.allowance_amount as string), currency),
          reason: line.allowance_reason ?? null,
        }
      : null,
    converted_from:
      line.source_currency && line.source_unit_price && line.exchange_rate && line.exchange_rate_date
        ? {
            currency: line.source_currency,
            unit_price: plainString(new Dec(line.source_unit_price)),
            exchange_rate: plainString(new Dec(line.exchange_rate)),
            rate_date: line.exchange_rate_date,
          }
        : null,
  };
}

function exchangeRateOutput(conversion: AccountingConversion | null) {
  if (!conversion) return null;
  return {
    rate: new Dec(conversion.rate).toNumber(),
    inverse_rate: new Dec(conversion.inverse_rate).toNumber(),
    rate_date: conversion.rate_date,
    currency: conversion.currency,
    total_tax: conversion.total_tax,
  };
}

/** A breakdown row is a VAT category and rate; the contract names it by a tax code: its first line's (older documents stored the code itself). */
const taxRateCodeOf = (lines: LineRow[], key: string) => lines.find((l) => vatGroupKey(l) === key)?.tax_code ?? key;

export interface DocumentParts {
  row: DocumentRow;
  lines: LineRow[];
  entity: BillingEntityRow;
  company: BillingParty;
}

/** The document's number: Waybill's, or for a received invoice the supplier's own (it takes none of Waybill's). */
export const issuedName = (row: DocumentRow) => row.name ?? (row.origin === 'E_INVOICE' ? row.external_name : null);

/** A draft has no number yet; it is shown by a name that cannot be mistaken for one. */
export const displayName = (row: DocumentRow) => issuedName(row) ?? `DRAFT-${row.id.slice(0, 8)}`;

function common(parts: DocumentParts, invoiceName: string | null) {
  const { row, lines, entity, company } = parts;
  return {
    id: row.id,
    name: displayName(row),
    date: row.date as string,
    booking_date: row.booking_date,
    currency: row.currency,
    customer_reference_numbers: row.customer_reference_numbers,
    custom_fields: row.custom_fields,
    e_invoicing: null,
    exchange_rate: exchangeRateOutput(row.exchange_rate),
    total_excl_tax: moneyString(new Dec(row.total_excl_tax), row.currency),
    total_tax: moneyString(new Dec(row.total_tax), row.currency),
    total_incl_tax: moneyString(new Dec(row.total_incl_tax), row.currency),
    customer: companySummary(company),
    line_items: lines.map((l) => lineItem(l, row.currency, invoiceName)),
    billing_entity: billingEntityOutput(entity),
    supply_period: row.supply_start && row.supply_end ? { start_date: row.supply_start, end_date: row.supply_end } : null,
    tax_subtotals: row.tax_subtotals.map((s) => ({
      tax_rate_code: taxRateCodeOf(lines, s.taxKey),
      percentage: s.percentage,
      taxable_amount: s.taxableAmount,
      tax_amount: s.taxAmount,
    })),
    updated_at: row.updated_at.toISOString(),
  };
}

export function invoiceOutput(parts: DocumentParts, creditNoteIds: string[]): SalesInvoiceOutput {
  return {
    ...common(parts, null),
    due_date: parts.row.due_date as string,
    status: invoiceStatus(parts.row.status),
    payment_status: parts.row.payment_status as SalesInvoiceOutput['payment_status'],
    credit_note_ids: creditNoteIds,
  };
}

export function creditNoteOutput(parts: DocumentParts, credited: SalesInvoiceOutput | null): SalesCreditNoteOutput {
  return {
    ...common(parts, credited?.name ?? null),
    status: parts.row.status,
    refund_status: parts.row.payment_status as SalesCreditNoteOutput['refund_status'],
    credited_invoice: credited,
  };
}
