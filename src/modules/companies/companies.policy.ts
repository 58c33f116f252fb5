import type { CompanyRow } from './companies.repo.js';

/**
 * What a subcontractor learns about the orders it carries: each customer by name and code (plus
 * the id and currency the contract's company object requires; no bank accounts, credit policy,
 * payment terms, accounting code, contacts, notes or custom fields) and no
 * order pricing. Its own agreed purchase price is not an order's `pricing`, so it stays. A tenant
 * opts a subcontractor in to full details with `subcontractor_sees_order_details`.
 */
export function seesOnlyWhatItNeeds(company: Pick<CompanyRow, 'is_subcontractor' | 'subcontractor_sees_order_details'>): boolean {
  return company.is_subcontractor && !company.subcontractor_sees_order_details;
}

type Json = unknown;

/**
 * `value` with every `customer` object cut down to `{id, name, code, currency}` (those it has) and the `pricing` beside it set
 * to null, at any depth (dispatch snapshots, visibility orders, raw events). A customer that is
 * `ownCompanyId` itself (a company that is both customer and subcontractor) keeps its own details.
 */
export function subcontractorView<T>(value: T, ownCompanyId?: string): T {
  return cut(value, ownCompanyId) as T;
}

function cut(value: Json, own: string | undefined): Json {
  if (Array.isArray(value)) return value.map((item) => cut(item, own));
  if (!value || typeof value !== 'object') return value;
  const object = value as Record<string, Json>;
  const out: Record<string, Json> = {};
  for (const [key, field] of Object.entries(object)) out[key] = cut(field, own);
  const customer = object.customer as Record<string, Json> | null | undefined;
  if (customer && typeof customer === 'object' && !Array.isArray(customer) && customer.id !== own) {
    out.customer = pick(customer, ['id', 'name', 'code', 'currency']);
    if ('pricing' in object) out.pricing = null;
  }
  return out;
}

function pick(object: Record<string, Json>, keys: string[]): Record<string, Json> {
  return Object.fromEntries(keys.filter((key) => key in object).map((key) => [key, object[key]]));
}
