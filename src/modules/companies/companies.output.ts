import { columnFieldsOf } from './companies.mapping.js';
import type { CompanyRow } from './companies.repo.js';
import type { CompanyDetailOutput } from './companies.schemas.js';

/**
 * A company as other modules hold it (an order's customer, a trip's subcontractor): they read its
 * identity and render it with `companyOutput`, and never write it. Read-only so that nothing
 * outside companies treats it as a row to change; its storage stays companies' own.
 */
export type CompanyParty = Readonly<CompanyRow>;

function toNumber(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  return Number(value);
}

/** A company in the contract's `CompanyDetailOutput` shape (archived contacts left out). */
export function companyOutput(row: CompanyParty, billTo?: CompanyParty): CompanyDetailOutput {
  const d = row.details;
  const sales = d.sales ?? {};
  const status = d.status ?? sales.status ?? 'APPROVED';
  const credit = d.credit_policy;
  const contacts = (d.contacts ?? []).filter((c) => !c.is_archived).map(({ is_archived: _archived, ...c }) => c);
  return {
    id: row.id,
    ...columnFieldsOf(row),
    legal_name: d.legal_name ?? null,
    archived_buyer_or_seller: row.archived_buyer_or_seller,
    vat_number: d.vat_number ?? null,
    peppol_id: d.peppol_id ?? null,
    note: d.note ?? null,
    tax_type: d.tax_type ?? 'VAT',
    status,
    billing_location: d.billing_location ?? null,
    payment_term: d.payment_term ?? null,
    sales: { ...sales, status: sales.status ?? status },
    purchase: d.purchase ?? { status: 'APPROVED' },
    contacts,
    reference_numbers: d.reference_numbers ?? {},
    bank_accounts: d.bank_accounts ?? [],
    credit_policy: credit ? { limit: toNumber(credit.limit) } : null,
    default_invoice_customer: billTo ? { id: billTo.id, name: billTo.name, code: billTo.code } : null,
    custom_fields: d.custom_fields ?? {},
    is_blocked: Boolean(d.is_blocked) || status === 'BLOCKED',
    timestamp_updated: row.updated_at.toISOString(),
  };
}

/** Whether the company can take trips as a subcontractor now: the role is on, not archived, not blocked. */
export function isActiveSubcontractorRow(row: CompanyRow): boolean {
  const purchase = row.details.purchase;
  return row.is_subcontractor && !row.archived_subcontractor && purchase?.status !== 'BLOCKED';
}
