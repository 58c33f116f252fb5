import type { Generated, Json } from '../../../platform/db/database.js';

export type MatchStatus = 'MATCHED' | 'MISMATCH' | 'UNMATCHED';
export type EInvoiceFormat = 'UBL' | 'CII' | 'JSON';

/** One difference between a received e-invoice and what was agreed (see purchase-matching.ts). */
export interface MatchDifference {
  reason: 'AMOUNT_DIFFERS' | 'CURRENCY_DIFFERS' | 'ALREADY_BILLED' | 'LINE_NOT_MATCHED' | 'TOTAL_DIFFERS';
  trip_id: string | null;
  trip_name: string | null;
  agreed: string | null;
  invoiced: string | null;
  message: string;
}

export interface PurchaseTripClaimTable {
  tenant_id: string;
  trip_id: string;
  document_id: string;
  created_at: Generated<Date>;
}

export interface PurchaseEInvoiceTable {
  tenant_id: string;
  document_id: string;
  format: EInvoiceFormat;
  match_status: MatchStatus;
  differences: Json<MatchDifference[]>;
  stated_totals: Json<Record<string, string>>;
  /** The supplier's payee account and remittance reference as stated on its invoice (StatedPayment). */
  stated_payment?: Json<{ iban: string | null; bic: string | null; account_name: string | null; reference: string | null }> | null;
  created_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    purchase_trip_claims: PurchaseTripClaimTable;
    purchase_einvoices: PurchaseEInvoiceTable;
  }
}
