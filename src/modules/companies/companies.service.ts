import { randomUUID } from 'node:crypto';
import { isOneOf, onlyOne } from '../../platform/narrow.js';
import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db/database.js';
import { listenChannel, type Listener } from '../../platform/db/listen.js';
import { drawChangeTime } from '../../platform/db/change-clock.js';
import { inTransaction, type Tx } from '../../platform/db/tx.js';
import type { EventBus } from '../../platform/events/bus.js';
import { checkIfMatch, type Versioned } from '../../platform/http/etag.js';
import { badRequest, conflict, detail, notFound } from '../../platform/http/errors.js';
import { cursorField, paginate } from '../../platform/http/pagination.js';
import type { Principal } from '../../platform/http/principal.js';
import { isUuid } from '../../platform/http/schemas.js';
import { appendMasterDataEvent, type MasterDataOperation } from '../events/index.js';
import { createCompanyCache } from './companies.cache.js';
import { checkDoc, columnsOf, docForCreate, docForPatch, docForReplace, docOfRow, type CompanyDoc } from './companies.mapping.js';
import { companyOutput, isActiveSubcontractorRow, type CompanyParty } from './companies.output.js';
import * as repo from './companies.repo.js';
import type { CompanyRow } from './companies.repo.js';
import { COMPANY_ROLES, type CompanyDetailOutput, type CompanyInput, type CompanyPartialInput, type CompanyRole } from './companies.schemas.js';
import { seesOnlyWhatItNeeds, subcontractorView } from './companies.policy.js';

export { companyOutput } from './companies.output.js';

export type CompaniesService = ReturnType<typeof createCompaniesService>;

/**
 * How long another module's read of a company by id or code may be served from memory. Changes
 * drop entries at once (in every process on PostgreSQL); the TTL only bounds the damage of a
 * notification lost while a LISTEN connection was down.
 */
const COMPANY_CACHE = { ttlMs: 5_000, maxEntries: 10_000 };
/** Carries `<tenant id>:<company id>` of every committed company change to every process. */
export const COMPANIES_CHANNEL = 'waybill_companies';
/** The per-tenant clock whose times order companies for `updated_after` paging. */
const CLOCK = 'companies_clock';

/** What a write may send along: `If-Match`, and the caller for the change's origin. */
export interface WriteOptions {
  ifMatch?: string;
}

export function createCompaniesService(deps: { db: Db; bus: EventBus; cacheTtlMs?: number }) {
  const { db, bus } = deps;
  const cached = createCompanyCache({ ...COMPANY_CACHE, ttlMs: deps.cacheTtlMs ?? COMPANY_CACHE.ttlMs });

  /** The contract's shape, with the bill-to company read through `ex` (the transaction, when inside one). */
  async function output(tenantId: string, row: CompanyRow, ex: Executor = db): Promise<Versioned<CompanyDetailOutput>> {
    const billToId = row.details.default_invoice_customer_id;
    const billTo = billToId ? await repo.findCompany(ex, tenantId, billToId) : undefined;
    return { record: companyOutput(row, billTo), version: row.version };
  }

  /** A CUSTOMER/SUBCONTRACTOR client sees only its own company; anything else is "not found". */
  function visible(principal: Principal, row: CompanyRow | undefined): row is CompanyRow {
    return Boolean(row) && (principal.role === 'TENANT' || principal.companyId === row?.id);
  }

  /** Refuses a bill-to company that does not exist and codes another company holds (409), before writing. */
  async function checkReferences(ex: Executor, tenantId: string, doc: CompanyDoc, selfId?: string) {
    const billTo = doc.default_invoice_customer_id;
    if (billTo && !(await repo.findCompany(ex, tenantId, billTo))) {
      throw badRequest('default_invoice_customer_id does not name a company of this tenant', [detail('unknown company', 'default_invoice_customer_id')]);
    }
    const holders = [
      ['code', doc.code && (await repo.findCompanyByCode(ex, tenantId, doc.code))],
      ['accounting_code', doc.accounting_code && (await repo.findCompanyByAccountingCode(ex, tenantId, doc.accounting_code))],
    ] as const;
    for (const [field, holder] of holders) {
      if (holder && holder.id !== selfId) {
        throw conflict(`A company with ${field} "${doc[field]}" already exists`, [detail(`${field} must be unique`, field)]);
      }
    }
  }

  /** One master-data event for the company, and one per contact that was added, changed or archived. */
  async function announce(tx: Tx, principal: Principal | undefined, operation: MasterDataOperation, row: CompanyRow, before?: CompanyRow) {
    const { record } = await output(row.tenant_id, row, tx.trx);
    const common = { tenantId: row.tenant_id, version: row.version, companyIds: [row.id], origin: principal };
    await appendMasterDataEvent(tx, bus, { ...common, entity: 'company', operation, id: row.id, keys: { code: row.code }, record });
    const previous = new Map((before?.details.contacts ?? []).map((c) => [c.id, c]));
    for (const contact of row.details.contacts ?? []) {
      const old = previous.get(contact.id);
      if (old && JSON.stringify(old) === JSON.stringify(contact)) continue;
      const contactOperation = contact.is_archived ? 'archived' : old ? 'updated' : 'created';
      if (contactOperation === 'archived' && old?.is_archived) continue;
      const { is_archived: _archived, ...fields } = contact;
      await appendMasterDataEvent(tx, bus, {
        ...common,
        entity: 'contact',
        operation: contactOperation,
        id: contact.id,
        keys: { company_id: row.id },
        record: { ...fields, company_id: row.id },
      });
    }
  }

  /**
   * The shared path of PUT, PATCH and DELETE: lock the row, check If-Match, compute the new
   * document, write it with a fresh change time and a new version, and announce the change.
   */
  async function change(
    principal: Principal,
    id: string,
    options: WriteOptions,
    operation: MasterDataOperation,
    next: (current: CompanyDoc) => CompanyDoc,
    extra: { archived_buyer_or_seller?: boolean } = {},
  ): Promise<Versioned<CompanyDetailOutput>> {
    const tenantId = principal.tenantId;
    const row = await inTransaction(db, async (tx) => {
      // The new state is computed from the locked row, so a concurrent PATCH is never undone.
      const locked = await repo.lockCompany(tx.trx, tenantId, id);
      if (!locked) throw notFound('Company');
      checkIfMatch(options.ifMatch, locked.version);
      const doc = checkDoc(next(docOfRow(locked)));
      await checkReferences(tx.trx, tenantId, doc, id);
      const updatedAt = await drawChangeTime(tx.trx, tenantId, CLOCK);
      const updated = await repo.updateCompany(tx.trx, tenantId, id, { ...columnsOf(doc), ...extra, updated_at: updatedAt });
      await announce(tx, principal, operation, updated, locked);
      // Delivered at COMMIT to the other processes' caches; this process drops its entry itself.
      await sql`select pg_notify(${COMPANIES_CHANNEL}, ${`${tenantId}:${id}`})`.execute(tx.trx);
      tx.afterCommit(() => cached.forget(tenantId, id));
      return updated;
    });
    return output(tenantId, row);
  }

  return {
    async create(principal: Principal, input: CompanyInput): Promise<Versioned<CompanyDetailOutput>> {
      const tenantId = principal.tenantId;
      const doc = checkDoc(docForCreate(input));
      await checkReferences(db, tenantId, doc);
      const row = await inTransaction(db, async (tx) => {
        const updatedAt = await drawChangeTime(tx.trx, tenantId, CLOCK);
        const created = await repo.insertCompany(tx.trx, { tenant_id: tenantId, id: randomUUID(), ...columnsOf(doc), updated_at: updatedAt });
        await announce(tx, principal, 'created', created);
        return created;
      });
      return output(tenantId, row);
    },

    async get(principal: Principal, id: string): Promise<Versioned<CompanyDetailOutput>> {
      const row = await repo.findCompany(db, principal.tenantId, id);
      if (!visible(principal, row)) throw notFound('Company');
      return output(principal.tenantId, row);
    },

    replace(principal: Principal, id: string, input: CompanyInput, options: WriteOptions = {}) {
      return change(principal, id, options, 'updated', (current) => docForReplace(current, input));
    },

    patch(principal: Principal, id: string, input: CompanyPartialInput, options: WriteOptions = {}) {
      return change(principal, id, options, 'updated', (current) => docForPatch(current, input));
    },

    /** DELETE: archives every role; the company stays readable and can be reactivated role by role. */
    archive(principal: Principal, id: string, options: WriteOptions = {}) {
      return change(principal, id, options, 'archived', (current) => ({ ...current, archived_customer: true, archived_subcontractor: true }), {
        archived_buyer_or_seller: true,
      });
    },

    async list(principal: Principal, query: { updated_after?: string; q?: string; role?: CompanyRole; cursor?: string; limit?: number }) {
      const page = await paginate({
        query,
        filters: { updated_after: query.updated_after, q: query.q, role: query.role },
        fields: { updated_after: cursorField.dateTime, q: cursorField.text(100), role: cursorField.oneOf(COMPANY_ROLES) },
        fetch: ({ filters, after, limit }) =>
          repo.listCompanies(db, {
            tenantId: principal.tenantId,
            onlyId: principal.role === 'TENANT' ? undefined : (principal.companyId ?? undefined),
            updatedAfter: filters.updated_after ? new Date(filters.updated_after) : undefined,
            search: filters.q,
            role: isOneOf(COMPANY_ROLES, filters.role) ? filters.role : undefined,
            after,
            limit,
          }),
        key: (r) => ({ ts: r.updated_at, id: r.id }),
      });
      const items = await Promise.all(page.rows.map(async (r) => (await output(principal.tenantId, r)).record));
      return { items, next_cursor: page.next_cursor };
    },

    /** For other modules: a company by id or by code. */
    async findCompanyId(tenantId: string, idOrCode: string): Promise<string | undefined> {
      const row = isUuid(idOrCode) ? await repo.findCompany(db, tenantId, idOrCode) : undefined;
      return (row ?? (await repo.findCompanyByCode(db, tenantId, idOrCode)))?.id;
    },

    /**
     * For other modules (accounting): the companies an accounting package knows by this code. The
     * code is unique per tenant, so this is at most one; a list keeps callers' ambiguity checks simple.
     */
    async findByAccountingCode(tenantId: string, accountingCode: string): Promise<CompanyParty[]> {
      const row = await repo.findCompanyByAccountingCode(db, tenantId, accountingCode);
      return row ? [row] : [];
    },

    /**
     * For other modules: a company by id, from memory when read a moment ago (see `companies.cache.ts`).
     * A caller inside a transaction passes it as `exec`: on PGlite a read outside it would wait for it.
     */
    async findById(tenantId: string, id: string, exec: Executor = db): Promise<CompanyParty | undefined> {
      return cached.get(tenantId, id, () => repo.findCompany(exec, tenantId, id));
    },

    /**
     * For other modules (trips): whether the company exists in the tenant and may take work as a
     * subcontractor now (the role is on and not archived, and its purchase status is not BLOCKED).
     */
    /** For webhooks: how a push to this company's endpoint is cut down, or undefined when it sees it whole (see companies.policy.ts). */
    async payloadViewFor(tenantId: string, companyId: string): Promise<(<T>(payload: T) => T) | undefined> {
      const row = await cached.get(tenantId, companyId, () => repo.findCompany(db, tenantId, companyId));
      return row && seesOnlyWhatItNeeds(row) ? (payload) => subcontractorView(payload, row.id) : undefined;
    },

    async isActiveSubcontractor(tenantId: string, companyId: string): Promise<boolean> {
      const row = await cached.get(tenantId, companyId, () => repo.findCompany(db, tenantId, companyId));
      return Boolean(row && isActiveSubcontractorRow(row));
    },

    /**
     * On PostgreSQL, keeps this process's cache in step with changes other processes commit:
     * each change's notification drops that company's entries, and a (re)connection drops them
     * all (notifications sent while disconnected are lost).
     */
    watchChanges(databaseUrl: string, onError: (err: unknown) => void): Listener {
      return listenChannel({
        databaseUrl,
        channel: COMPANIES_CHANNEL,
        onNotify: (payload) => {
          const [tenantId, companyId] = payload.split(':');
          if (tenantId && companyId) cached.forget(tenantId, companyId);
        },
        onConnect: () => cached.clear(),
        onError,
      });
    },

    /**
     * Resolves an order's `customer` entity: by code first, then by name. Throws a 400 naming the
     * value when nothing or more than one company matches.
     */
    async resolveByCodeOrName(tenantId: string, entity: { code?: string | null; name?: string | null }): Promise<CompanyParty> {
      if (entity.code) {
        const code = entity.code;
        const byCode = await cached.get(tenantId, `code:${code}`, () => repo.findCompanyByCode(db, tenantId, code));
        if (byCode) return byCode;
        if (!entity.name) throw badRequest(`No company with code "${entity.code}"`, [detail(`unknown code "${entity.code}"`, 'code', 'customer.code')]);
      }
      if (!entity.name) throw badRequest('customer needs a code or a name', [detail('code or name is required', 'customer')]);
      const byName = await repo.findCompaniesByName(db, tenantId, entity.name);
      const only = onlyOne(byName);
      if (only) return only;
      const why = byName.length ? `Several companies are named "${entity.name}"; send customer.code` : `No company named "${entity.name}"`;
      throw badRequest(why, [detail(why, 'name', 'customer.name')]);
    },
  };
}
