import type { Generated, Json } from '../../../platform/db/database.js';
import type { BillingEntity, TaxRateOutput } from './reference.schemas.js';

/** Numeric columns come back as decimal strings from both drivers; they are written as strings too. */
type Numeric = string;

export interface BillingEntityTable {
  tenant_id: string;
  id: string;
  code: string;
  legal_name: string;
  vat_number: string;
  company_registration_number: string;
  is_default: boolean;
  /** As the input gave them (`{}` when it gave none). */
  address: Json<NonNullable<BillingEntity['address']>>;
  bank_account: Json<NonNullable<BillingEntity['bank_account']>>;
  /** `{scheme, value}`: the Peppol participant id the UBL addresses the entity by. */
  peppol_id?: Json<{ scheme: string; value: string }> | null;
  /** The currency the entity keeps its books in. */
  currency: Generated<string>;
  created_at: Generated<Date>;
}

export interface TaxRateTable {
  tenant_id: string;
  id: string;
  billing_entity_id: string;
  code: string;
  name: string;
  description: Generated<string>;
  percentage: Numeric;
  base_percentage: Numeric | null;
  tax_type: TaxRateOutput['tax_type'];
  invoice_type: TaxRateOutput['invoice_type'];
  vat_category?: TaxRateOutput['vat_category'];
  exemption_reason_code?: string | null;
  exemption_reason?: string | null;
  archived: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface GlAccountTable {
  tenant_id: string;
  id: string;
  billing_entity_id: string;
  code: string;
  name: string;
  archived: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface ExchangeRateTable {
  tenant_id: string;
  id: string;
  from_currency: string;
  to_currency: string;
  /** `date`: always selected as `::text` (YYYY-MM-DD) so no driver turns it into a local-time Date. */
  rate_date: string;
  rate: Numeric;
  inverse_rate: Numeric;
  created_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    billing_entities: BillingEntityTable;
    tax_rates: TaxRateTable;
    gl_accounts: GlAccountTable;
    exchange_rates: ExchangeRateTable;
  }
}
