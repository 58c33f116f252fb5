import type { Principal } from '../../../platform/http/principal.js';
import type { DocumentKind, DocumentStatus } from './documents.tables.js';

/**
 * Who may read a billing document. The tenant's own clients read every one. A customer (its portal
 * users and API clients) reads only the sales documents issued to its own company: never a draft
 * (it may still change or vanish), never another company's, never a purchase document (those are
 * between the carrier and its subcontractors). Everyone else reads none. Refusals are 404s, so a
 * customer cannot learn that a document it may not read exists.
 */
export function readableBy(principal: Principal, doc: { kind: DocumentKind; status: DocumentStatus; company_id: string }): boolean {
  if (principal.role === 'TENANT') return true;
  return principal.role === 'CUSTOMER' && customerMayList(doc.kind) && doc.status !== 'DRAFT' && doc.company_id === principal.companyId;
}

/** The kinds of document a customer may see at all: what was issued to it. */
export const customerMayList = (kind: DocumentKind): boolean => kind === 'SALES_INVOICE' || kind === 'SALES_CREDIT_NOTE';
