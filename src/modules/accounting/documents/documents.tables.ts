import type { Generated, Json } from '../../../platform/db/database.js';
import type { AccountingConversion } from './conversion.service.js';
import type { FrozenParties } from './issued-parties.output.js';

/** Numeric columns come back as decimal strings from both drivers; they are written as strings too. */
type Numeric = string;

export interface StoredTaxSubtotal {
  taxKey: string;
  percentage: string;
  taxableAmount: string;
  taxAmount: string;
}

export type DocumentKind = 'SALES_INVOICE' | 'SALES_CREDIT_NOTE' | 'PURCHASE_INVOICE' | 'PURCHASE_CREDIT_NOTE';
export type DocumentStatus = 'DRAFT' | 'INVOICED' | 'POSTED';

export interface BillingDocumentTable {
  tenant_id: string;
  id: string;
  kind: DocumentKind;
  status: DocumentStatus;
  billing_entity_id: string;
  company_id: string;
  currency: string;
  year: number | null;
  number: number | null;
  name: string | null;
  external_name: string | null;
  /** `date` columns: selected as text, see ExchangeRateTable.rate_date. */
  date: string | null;
  due_date: string | null;
  booking_date: string | null;
  /** The first and last delivery day of the orders billed (date of supply / invoicing period); null: the issue date. */
  supply_start?: string | null;
  supply_end?: string | null;
  payment_term: string | null;
  payment_status: Generated<string>;
  credited_document_id: string | null;
  customer_reference_numbers: Json<string[]>;
  custom_fields: Json<Record<string, unknown>>;
  exchange_rate: Json<AccountingConversion> | null;
  total_excl_tax: Numeric;
  total_tax: Numeric;
  total_incl_tax: Numeric;
  tax_subtotals: Json<StoredTaxSubtotal[]>;
  origin: 'WAYBILL' | 'API' | 'E_INVOICE';
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  finalized_at: Date | null;
  /** The billing entity and the other company as they were when the document was issued. */
  issued_parties?: Json<FrozenParties> | null;
}

export interface BillingDocumentLineTable {
  tenant_id: string;
  id: string;
  document_id: string;
  position: number;
  charge_id: string | null;
  credited_line_id: string | null;
  order_id: string | null;
  order_name: string | null;
  code: string;
  name: string;
  description: string | null;
  quantity: Numeric;
  unit_price: Numeric;
  amount: Numeric;
  tax_rate_id: string | null;
  tax_code: string;
  tax_name: string;
  tax_percentage: Numeric;
  tax_type: string;
  /** Copied from the tax rate with its type (UNCL5305 and VATEX); null: derived from the type. */
  vat_category?: string | null;
  exemption_reason_code?: string | null;
  exemption_reason?: string | null;
  account_code: string | null;
  /** A charge converted from another currency: its own currency and price, and the rate applied. */
  source_currency?: string | null;
  source_unit_price?: Numeric | null;
  exchange_rate?: Numeric | null;
  exchange_rate_date?: string | null;
  /** A converted line's discount given as an amount, in the charge's currency (converted again at finalization). */
  source_allowance_amount?: Numeric | null;
  /** A discount on the line (EN 16931 BG-27): its percentage of quantity × unit price, its rounded amount and why. */
  allowance_percentage?: Numeric | null;
  allowance_amount?: Numeric | null;
  allowance_reason?: string | null;
  /** On purchase documents: the subcontracted trip the line bills. */
  trip_id: string | null;
}

export interface BillingDocumentFileTable {
  tenant_id: string;
  id: string;
  document_id: string;
  /** PDF and UBL are rendered when the document is issued; the others are received files. Both kinds are kept as blobs (`sha256`). */
  type: 'PDF' | 'UBL' | 'INVOICE' | 'CREDIT_NOTE' | 'OTHER';
  name: string;
  content_type: string;
  sha256: string | null;
  size_bytes: number | null;
  /** A rendered file's bytes, as files issued before migration 028 stored them (since then: a blob). */
  content?: Buffer | null;
  created_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    billing_documents: BillingDocumentTable;
    billing_document_lines: BillingDocumentLineTable;
    billing_document_files: BillingDocumentFileTable;
  }
}
