import type { Generated, Json } from '../../platform/db/database.js';
import type { ColumnField, CompanyDoc } from './companies.mapping.js';

/** The stored document's fields without a column of their own (see `columnsOf` in companies.mapping.ts). */
export type CompanyDetails = Omit<CompanyDoc, ColumnField>;

export interface CompanyTable {
  tenant_id: string;
  id: string;
  code: string | null;
  accounting_code: string | null;
  name: string;
  currency: string;
  locale: Generated<string>;
  is_customer: boolean;
  is_subcontractor: boolean;
  is_buyer_or_seller: boolean;
  archived_customer: Generated<boolean>;
  archived_subcontractor: Generated<boolean>;
  archived_buyer_or_seller: Generated<boolean>;
  /** Opt-in: as a subcontractor, it is sent customers' full records and orders' pricing. */
  subcontractor_sees_order_details: Generated<boolean>;
  /** Contract fields without a column of their own (contacts, payment terms, bank accounts...). */
  details: Json<CompanyDetails>;
  /** Moves on by one with every change; the record's ETag. */
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../platform/db/database.js' {
  interface Database {
    companies: CompanyTable;
  }
}
