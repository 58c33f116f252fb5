import type { BillingParty, DocumentParts } from './documents.output.js';
import type { BillingEntityRow } from '../reference/reference.repo.js';

/**
 * Issued means frozen: a finalized document keeps the billing entity and the other company as
 * they were at that moment (stored on the document as JSON), so renaming a customer or moving a
 * billing entity's bank changes nothing already issued: its GET, UBL and PDF stay the same.
 */
export interface FrozenParties {
  entity: BillingEntityRow;
  company: BillingParty;
}

export const freezeParties = (entity: BillingEntityRow, company: BillingParty): string => JSON.stringify({ entity, company } satisfies FrozenParties);

export interface PeppolId {
  scheme: string;
  value: string;
}

/** A party as an invoice names it. */
export interface IssuedParty {
  name: string;
  legalName: string;
  vat: string | null;
  registration: string | null;
  /** Absent and null alike: not given (a company's location may hold nulls). */
  address: { street?: string | null; city?: string | null; postal_code?: string | null; country?: string | null };
  peppolId: PeppolId | null;
  bank: { iban?: string; bic?: string | null };
}

export function entityParty(entity: BillingEntityRow): IssuedParty {
  return {
    name: entity.legal_name,
    legalName: entity.legal_name,
    vat: entity.vat_number,
    registration: entity.company_registration_number,
    address: entity.address,
    peppolId: entity.peppol_id ?? null,
    bank: entity.bank_account,
  };
}

export function companyParty(company: BillingParty): IssuedParty {
  const d = company.details;
  const location = d.billing_location ?? undefined;
  const account = d.bank_accounts?.[0];
  return {
    name: company.name,
    legalName: d.legal_name || company.name,
    vat: d.vat_number || null,
    registration: null,
    address: { street: location?.address, city: location?.city, postal_code: location?.postal_code, country: location?.country },
    peppolId: d.peppol_id ?? null,
    bank: account?.iban_code ? { iban: account.iban_code, bic: account.bic_code } : {},
  };
}

/** Seller and buyer: on the purchase side the other company sells and the tenant's entity buys. */
export function partiesOf(parts: DocumentParts) {
  const purchase = parts.row.kind.startsWith('PURCHASE');
  const entity = entityParty(parts.entity);
  const company = companyParty(parts.company);
  return purchase
    ? { seller: company, buyer: entity, sellerLabel: 'supplier', buyerLabel: 'billing_entity' }
    : { seller: entity, buyer: company, sellerLabel: 'billing_entity', buyerLabel: 'customer' };
}
