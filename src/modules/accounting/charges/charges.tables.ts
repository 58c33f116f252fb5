import type { Generated } from '../../../platform/db/database.js';
import type { ChargeApprovalStatus } from './charges.schemas.js';

/** Numeric columns come back as decimal strings from both drivers; they are written as strings too. */
type Numeric = string;

export interface OrderChargeTable {
  tenant_id: string;
  id: string;
  order_id: string;
  customer_company_id: string;
  code: string;
  name: string;
  description: string | null;
  quantity: Numeric;
  unit_price: Numeric;
  currency: string;
  tax_rate_id: string;
  account_id: string | null;
  /** A discount on the charge, as a percentage of quantity × unit price, and why (the invoice line's allowance). */
  discount_percentage?: Numeric | null;
  /** Or the discount as an amount in the charge's currency (never both: a table check). */
  discount_amount?: Numeric | null;
  discount_reason?: string | null;
  requires_approval: boolean;
  approval_status: ChargeApprovalStatus;
  /** The customer's reason for its answer (a rejection's, mostly); cleared when the charge asks again. */
  approval_reason?: string | null;
  invoice_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    order_charges: OrderChargeTable;
  }
}
