import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/tx.js';
import { appendEvent } from '../../platform/events/append.js';
import type { EventBus } from '../../platform/events/bus.js';
import { badRequest, conflict, detail, notFound } from '../../platform/http/errors.js';
import { decodeCursor, pageOf } from '../../platform/http/pagination.js';
import type { Principal } from '../../platform/http/principal.js';
import { createCompanyCache } from './companies.cache.js';
import * as repo from './companies.repo.js';
import type { CompanyRow } from './companies.repo.js';
import type { CompanyDetailOutput, CompanyInput } from './companies.schemas.js';
import { isUuid } from '../../platform/http/schemas.js';


/** Fields kept in `details` as sent (minus nulls); everything with a column of its own is left out. */
const DETAIL_FIELDS = [
  'legal_name', 'vat_number', 'note', 'tax_type', 'billing_location', 'payment_term', 'sales', 'purchase', 'contacts',
  'reference_numbers', 'bank_accounts', 'credit_policy', 'default_invoice_customer_id', 'custom_fields', 'status', 'is_blocked',
] as const;

type Details = Partial<Record<(typeof DETAIL_FIELDS)[number], unknown>>;

function detailsOf(input: CompanyInput): Details {
  const details: Details = {};
  for (const field of DETAIL_FIELDS) {
    const value = input[field];
    if (value !== undefined && value !== null) details[field] = value;
  }
  if (input.credit_limit_total !== undefined && input.credit_limit_total !== null && !details.credit_policy) {
    details.credit_policy = { limit: input.credit_limit_total };
  }
  if (Array.isArray(details.contacts)) {
    details.contacts = (details.contacts as Array<Record<string, unknown>>)
      .filter((c) => !c.is_archived)
      .map(({ is_archived: _archived, ...c }) => ({ ...c, id: c.id ?? randomUUID() }));
  }
  return details;
}

function toNumber(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  return Number(value);
}

export function companyOutput(row: CompanyRow, billTo?: CompanyRow): CompanyDetailOutput {
  const d = row.details as Details & Record<string, never>;
  const sales = (d.sales ?? {}) as CompanyDetailOutput['sales'];
  const status = (d.status ?? sales.status ?? 'APPROVED') as CompanyDetailOutput['status'];
  const credit = d.credit_policy as { limit?: unknown } | undefined;
  return {
    id: row.id,
    code: row.code,
    accounting_code: row.accounting_code,
    name: row.name,
    legal_name: (d.legal_name as string) ?? null,
    currency: row.currency,
    locale: row.locale,
    is_customer: row.is_customer,
    is_subcontractor: row.is_subcontractor,
    is_buyer_or_seller: row.is_buyer_or_seller,
    archived_customer: row.archived_customer,
    archived_subcontractor: row.archived_subcontractor,
    archived_buyer_or_seller: row.archived_buyer_or_seller,
    vat_number: (d.vat_number as string) ?? null,
    note: (d.note as string) ?? null,
    tax_type: (d.tax_type as CompanyDetailOutput['tax_type']) ?? 'VAT',
    status,
    billing_location: (d.billing_location as CompanyDetailOutput['billing_location']) ?? null,
    payment_term: (d.payment_term as CompanyDetailOutput['payment_term']) ?? null,
    sales: { ...sales, status: sales.status ?? status },
    purchase: (d.purchase ?? { status: 'APPROVED' }) as CompanyDetailOutput['purchase'],
    contacts: (d.contacts as CompanyDetailOutput['contacts']) ?? [],
    reference_numbers: (d.reference_numbers as CompanyDetailOutput['reference_numbers']) ?? {},
    bank_accounts: (d.bank_accounts as CompanyDetailOutput['bank_accounts']) ?? [],
    credit_policy: credit ? { limit: toNumber(credit.limit) } : null,
    default_invoice_customer: billTo ? { id: billTo.id, name: billTo.name, code: billTo.code } : null,
    custom_fields: (d.custom_fields as Record<string, unknown>) ?? {},
    is_blocked: Boolean(d.is_blocked) || status === 'BLOCKED',
    timestamp_updated: row.updated_at.toISOString(),
  };
}

export type CompaniesService = ReturnType<typeof createCompaniesService>;

/** How long another module's read of a company by id or code may be served from memory. */
const COMPANY_CACHE = { ttlMs: 5_000, maxEntries: 10_000 };

export function createCompaniesService(deps: { db: Db; bus: EventBus }) {
  const { db, bus } = deps;
  const cached = createCompanyCache(COMPANY_CACHE);

  async function output(tenantId: string, row: CompanyRow): Promise<CompanyDetailOutput> {
    const billToId = (row.details as Details).default_invoice_customer_id as string | undefined;
    const billTo = billToId ? await repo.findCompany(db, tenantId, billToId) : undefined;
    return companyOutput(row, billTo);
  }

  /** A CUSTOMER/SUBCONTRACTOR client sees only its own company; anything else is "not found". */
  function visible(principal: Principal, row: CompanyRow | undefined): row is CompanyRow {
    return Boolean(row) && (principal.role === 'TENANT' || principal.companyId === row?.id);
  }

  return {
    async create(principal: Principal, input: CompanyInput): Promise<CompanyDetailOutput> {
      const name = input.name ?? input.code;
      if (!name) throw badRequest('A company needs a name (or at least a code)', [detail('name is required', 'name')]);
      const tenantId = principal.tenantId;
      if (input.default_invoice_customer_id && !(await repo.findCompany(db, tenantId, input.default_invoice_customer_id))) {
        throw badRequest('default_invoice_customer_id does not name a company of this tenant', [
          detail('unknown company', 'default_invoice_customer_id'),
        ]);
      }
      if (input.code && (await repo.findCompanyByCode(db, tenantId, input.code))) {
        throw conflict(`A company with code "${input.code}" already exists`, [detail('code must be unique', 'code')]);
      }
      const row = await inTransaction(db, async (tx) => {
        const created = await repo.insertCompany(tx.trx, {
          tenant_id: tenantId,
          id: randomUUID(),
          code: input.code ?? null,
          accounting_code: input.accounting_code ?? null,
          name,
          currency: input.currency,
          locale: input.locale ?? 'en-GB',
          is_customer: input.is_customer ?? false,
          is_subcontractor: input.is_subcontractor ?? false,
          is_buyer_or_seller: input.is_buyer_or_seller ?? false,
          archived_customer: input.archived_customer ?? false,
          archived_subcontractor: input.archived_subcontractor ?? false,
          details: JSON.stringify(detailsOf(input)),
        });
        await appendEvent(tx, bus, {
          tenantId,
          type: 'company.created',
          entityType: 'company',
          entityId: created.id,
          companyIds: [created.id],
          payload: { id: created.id, code: created.code, name: created.name },
        });
        return created;
      });
      return output(tenantId, row);
    },

    async get(principal: Principal, id: string): Promise<CompanyDetailOutput> {
      const row = await repo.findCompany(db, principal.tenantId, id);
      if (!visible(principal, row)) throw notFound('Company');
      return output(principal.tenantId, row);
    },

    async list(principal: Principal, query: { updated_after?: string; cursor?: string; limit?: number }) {
      const limit = query.limit ?? 100;
      const filters = { updated_after: query.updated_after };
      const state = query.cursor ? decodeCursor<typeof filters>(query.cursor, filters) : undefined;
      const updatedAfter = state?.filters.updated_after ?? query.updated_after;
      const rows = await repo.listCompanies(db, {
        tenantId: principal.tenantId,
        onlyId: principal.role === 'TENANT' ? undefined : (principal.companyId ?? undefined),
        updatedAfter: updatedAfter ? new Date(updatedAfter) : undefined,
        after: state && { ts: new Date(state.after.ts), id: state.after.id },
        limit,
      });
      const page = pageOf(rows, limit, { updated_after: updatedAfter }, (r) => ({ ts: r.updated_at, id: r.id }));
      return { items: await Promise.all(page.rows.map((r) => output(principal.tenantId, r))), next_cursor: page.next_cursor };
    },

    /** For other modules: a company by id or by code. */
    async findCompanyId(tenantId: string, idOrCode: string): Promise<string | undefined> {
      const row = isUuid(idOrCode) ? await repo.findCompany(db, tenantId, idOrCode) : undefined;
      return (row ?? (await repo.findCompanyByCode(db, tenantId, idOrCode)))?.id;
    },

    /** For other modules (accounting): the companies an accounting package knows by this code (at most two, to detect ambiguity). */
    async findByAccountingCode(tenantId: string, accountingCode: string): Promise<CompanyRow[]> {
      return repo.findCompaniesByAccountingCode(db, tenantId, accountingCode);
    },

    /** For other modules: a company by id, possibly a few seconds old (see `companies.cache.ts`). */
    async findById(tenantId: string, id: string): Promise<CompanyRow | undefined> {
      return cached.get(tenantId, id, () => repo.findCompany(db, tenantId, id));
    },

    /**
     * Resolves an order's `customer` entity: by code first, then by name. Throws a 400 naming the
     * value when nothing or more than one company matches.
     */
    async resolveByCodeOrName(tenantId: string, entity: { code?: string | null; name?: string | null }): Promise<CompanyRow> {
      if (entity.code) {
        const code = entity.code;
        // A code names one company for good (unique per tenant, never changed), so a hit may be cached.
        const byCode = await cached.get(tenantId, `code:${code}`, () => repo.findCompanyByCode(db, tenantId, code));
        if (byCode) return byCode;
        if (!entity.name) throw badRequest(`No company with code "${entity.code}"`, [detail(`unknown code "${entity.code}"`, 'code', 'customer.code')]);
      }
      if (!entity.name) throw badRequest('customer needs a code or a name', [detail('code or name is required', 'customer')]);
      const byName = await repo.findCompaniesByName(db, tenantId, entity.name);
      if (byName.length === 1) return byName[0] as CompanyRow;
      const why = byName.length ? `Several companies are named "${entity.name}"; send customer.code` : `No company named "${entity.name}"`;
      throw badRequest(why, [detail(why, 'name', 'customer.name')]);
    },
  };
}
