import { randomUUID } from 'node:crypto';
import { mustGet, onlyOne } from '../../../platform/narrow.js';
import type { Db, Executor } from '../../../platform/db/database.js';
import { badRequest, conflict, detail, notFound } from '../../../platform/http/errors.js';
import { cursorField, paginate } from '../../../platform/http/pagination.js';
import type { Principal } from '../../../platform/http/principal.js';
import { inTransaction } from '../../../platform/db/tx.js';
import { Dec, parseDecimal } from '../../../platform/money.js';
import * as repo from './reference.repo.js';
import type { AccountRow, BillingEntityRow, ExchangeRateRow, TaxRateRow } from './reference.repo.js';
import type {
  AccountInput,
  AccountOutput,
  BillingEntity,
  BillingEntityInput,
  ExchangeRateInput,
  ExchangeRateOutput,
  ExchangeRateQuery,
  ReferenceListQuery,
  TaxRateInput,
  TaxRateOutput,
} from './reference.schemas.js';

/** A rate in any form the schema let through, as the exact decimal stored; what does not fit numeric(24, 12) above 0 is refused naming the rule. */
function rateOf(value: number | string, field: string): string {
  const rate = typeof value === 'number' ? parseDecimal(value) : new Dec(value.trim());
  if (rate.lte(0) || rate.decimalPlaces() > 12 || rate.gte(new Dec(10).pow(12))) {
    const rule = `${field} must be more than 0, below 10^12, with at most 12 decimals`;
    throw badRequest(rule, [{ message: rule, field, path: `body.${field}`, detail: { keyword: 'exchangeRate', value: String(value).slice(0, 40) } }]);
  }
  return rate.toFixed();
}

export function billingEntityOutput(row: BillingEntityRow): BillingEntity {
  return {
    id: row.id,
    code: row.code,
    legal_name: row.legal_name,
    vat_number: row.vat_number,
    company_registration_number: row.company_registration_number,
    is_default: row.is_default,
    currency: row.currency,
    address: row.address,
    bank_account: row.bank_account,
    peppol_id: row.peppol_id ?? null,
  };
}

const rateNumber = (value: string | null) => (value === null ? null : new Dec(value).toNumber());

/** The unique-violation code both drivers report. */
const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

export type ReferenceService = ReturnType<typeof createReferenceService>;

export function createReferenceService(deps: { db: Db }) {
  const { db } = deps;
  /** Every entity of the tenant by id: a tenant has a handful, so outputs read them all at once. */
  async function entityMap(tenantId: string): Promise<Map<string, BillingEntityRow>> {
    return new Map((await repo.listBillingEntities(db, tenantId)).map((e) => [e.id, e]));
  }

  const entityOf = (entities: Map<string, BillingEntityRow>, id: string) => billingEntityOutput(mustGet(entities, id));

  /** The entity a request names by code; without a code, the default entity, or the only one. */
  async function resolveEntity(tenantId: string, code: string | null | undefined, field = 'billing_entity_code'): Promise<BillingEntityRow> {
    if (code) {
      const row = await repo.findBillingEntity(db, tenantId, { code });
      if (!row) throw badRequest(`No billing entity with code "${code}"`, [detail('unknown billing entity', field)]);
      return row;
    }
    const all = await repo.listBillingEntities(db, tenantId);
    const chosen = all.find((e) => e.is_default) ?? (all.length === 1 ? all[0] : undefined);
    if (!chosen) {
      const why = all.length ? 'Several billing entities and none is the default: name one' : 'Create a billing entity first';
      throw badRequest(why, [detail(why, field)]);
    }
    return chosen;
  }

  function taxRateOutput(row: TaxRateRow, entities: Map<string, BillingEntityRow>): TaxRateOutput {
    return {
      id: row.id,
      archived: row.archived,
      name: row.name,
      code: row.code,
      description: row.description,
      percentage: rateNumber(row.percentage) as number,
      base_percentage: rateNumber(row.base_percentage),
      tax_type: row.tax_type,
      invoice_type: row.invoice_type,
      vat_category: row.vat_category ?? null,
      exemption_reason_code: row.exemption_reason_code ?? null,
      exemption_reason: row.exemption_reason ?? null,
      billing_entity: entityOf(entities, row.billing_entity_id),
    };
  }

  function accountOutput(row: AccountRow, entities: Map<string, BillingEntityRow>): AccountOutput {
    return {
      id: row.id,
      archived: row.archived,
      code: row.code,
      name: row.name,
      billing_entity: entityOf(entities, row.billing_entity_id),
    };
  }

  /** Answers 409 naming the field when an insert hits a unique key. */
  async function unique<T>(what: string, field: string, insert: () => Promise<T>): Promise<T> {
    try {
      return await insert();
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`${what} already exists`, [detail(`${field} must be unique`, field)]);
      throw err;
    }
  }

  function percentage(value: number | string, field: string): string {
    const p = parseDecimal(value);
    if (p.lt(0) || p.gt(100)) throw badRequest(`${field} must be between 0 and 100`, [detail('between 0 and 100', field)]);
    return p.toFixed();
  }

  async function listOf<Row extends { created_at: Date; id: string }, Out>(
    principal: Principal,
    query: ReferenceListQuery,
    list: (f: repo.ReferenceFilter) => Promise<Row[]>,
    output: (row: Row, entities: Map<string, BillingEntityRow>) => Out,
  ) {
    const page = await paginate({
      query,
      filters: { archived: query.archived, billing_entity_code: query.billing_entity_code },
      fields: { archived: cursorField.boolean, billing_entity_code: cursorField.text(50) },
      fetch: async ({ filters, after, limit }) => {
        const entity = filters.billing_entity_code ? await repo.findBillingEntity(db, principal.tenantId, { code: filters.billing_entity_code }) : undefined;
        if (filters.billing_entity_code && !entity) return [];
        return list({ tenantId: principal.tenantId, archived: filters.archived, billingEntityId: entity?.id, after, limit });
      },
      key: (r) => ({ ts: r.created_at, id: r.id }),
    });
    const entities = await entityMap(principal.tenantId);
    return { items: page.rows.map((r) => output(r, entities)), next_cursor: page.next_cursor };
  }

  function exchangeRateOutput(row: ExchangeRateRow, reversed = false): ExchangeRateOutput {
    return {
      id: row.id,
      exchange_rate: new Dec(reversed ? row.inverse_rate : row.rate).toNumber(),
      inverse_exchange_rate: new Dec(reversed ? row.rate : row.inverse_rate).toNumber(),
      exchange_rate_date: row.rate_date,
      from_currency: reversed ? row.to_currency : row.from_currency,
      to_currency: reversed ? row.from_currency : row.to_currency,
    };
  }

  return {
    resolveEntity,
    entityMap,

    async createBillingEntity(principal: Principal, input: BillingEntityInput): Promise<BillingEntity> {
      const row = await unique(`A billing entity with code "${input.code}"`, 'code', () =>
        inTransaction(db, async (tx) => {
          // Naming a new default takes the flag from the old one.
          if (input.is_default) await repo.clearDefaultEntity(tx.trx, principal.tenantId);
          return repo.insertBillingEntity(tx.trx, {
            tenant_id: principal.tenantId,
            id: randomUUID(),
            code: input.code,
            legal_name: input.legal_name,
            vat_number: input.vat_number,
            company_registration_number: input.company_registration_number,
            is_default: input.is_default ?? false,
            ...(input.currency ? { currency: input.currency } : {}),
            address: JSON.stringify(input.address ?? {}),
            bank_account: JSON.stringify(input.bank_account ?? {}),
            peppol_id: input.peppol_id ? JSON.stringify(input.peppol_id) : null,
          });
        }),
      );
      return billingEntityOutput(row);
    },

    async listBillingEntities(principal: Principal) {
      return { items: (await repo.listBillingEntities(db, principal.tenantId)).map(billingEntityOutput) };
    },

    async createTaxRate(principal: Principal, input: TaxRateInput): Promise<TaxRateOutput> {
      const entity = await resolveEntity(principal.tenantId, input.billing_entity_code);
      const invoiceType = input.invoice_type ?? 'SALES';
      const row = await unique(`A ${invoiceType} tax rate with code "${input.code}" in ${entity.code}`, 'code', () =>
        repo.insertTaxRate(db, {
          tenant_id: principal.tenantId,
          id: randomUUID(),
          billing_entity_id: entity.id,
          code: input.code,
          name: input.name,
          description: input.description ?? '',
          percentage: percentage(input.percentage, 'percentage'),
          base_percentage: input.base_percentage === undefined || input.base_percentage === null ? null : percentage(input.base_percentage, 'base_percentage'),
          tax_type: input.tax_type ?? 'VAT',
          invoice_type: invoiceType,
          vat_category: input.vat_category ?? null,
          exemption_reason_code: input.exemption_reason_code ?? null,
          exemption_reason: input.exemption_reason ?? null,
        }),
      );
      return taxRateOutput(row, await entityMap(principal.tenantId));
    },

    async getTaxRate(principal: Principal, id: string): Promise<TaxRateOutput> {
      const row = await repo.findTaxRate(db, principal.tenantId, id);
      if (!row) throw notFound('Tax rate');
      return taxRateOutput(row, await entityMap(principal.tenantId));
    },

    listTaxRates: (principal: Principal, query: ReferenceListQuery) => listOf(principal, query, (f) => repo.listTaxRates(db, f), taxRateOutput),

    /**
     * For charges and invoices: the tax rate a line names, by id or by code. A code must name one
     * rate of the document's entity (or one rate overall when the entity is not known yet).
     */
    async resolveTaxRate(
      tenantId: string,
      ref: { id?: string; code?: string },
      invoiceType: TaxRateRow['invoice_type'],
      entityId?: string,
      field = 'tax_rate',
    ): Promise<TaxRateRow> {
      if (ref.id) {
        const row = await repo.findTaxRate(db, tenantId, ref.id);
        if (!row || row.archived || (entityId && row.billing_entity_id !== entityId)) throw badRequest('Unknown tax rate', [detail('unknown tax rate', field)]);
        return row;
      }
      const rows = (await repo.findTaxRatesByCode(db, tenantId, ref.code ?? '', invoiceType)).filter((r) => !entityId || r.billing_entity_id === entityId);
      const only = onlyOne(rows);
      if (!only) {
        const why = rows.length ? `Several billing entities have a tax rate "${ref.code}"; send its id` : `No ${invoiceType} tax rate with code "${ref.code}"`;
        throw badRequest(why, [detail(why, field)]);
      }
      return only;
    },

    async createAccount(principal: Principal, input: AccountInput): Promise<AccountOutput> {
      const entity = await resolveEntity(principal.tenantId, input.billing_entity_code);
      const row = await unique(`An account with code "${input.code}" in ${entity.code}`, 'code', () =>
        repo.insertAccount(db, { tenant_id: principal.tenantId, id: randomUUID(), billing_entity_id: entity.id, code: input.code, name: input.name }),
      );
      return accountOutput(row, await entityMap(principal.tenantId));
    },

    async getAccount(principal: Principal, id: string): Promise<AccountOutput> {
      const row = await repo.findAccount(db, principal.tenantId, id);
      if (!row) throw notFound('Account');
      return accountOutput(row, await entityMap(principal.tenantId));
    },

    listAccounts: (principal: Principal, query: ReferenceListQuery) => listOf(principal, query, (f) => repo.listAccounts(db, f), accountOutput),

    /** For charges: a GL account of the tenant, by id or by code within an entity. */
    async resolveAccount(executor: Executor, tenantId: string, entityId: string, code: string): Promise<AccountRow> {
      const row = await repo.findAccountByCode(executor, tenantId, entityId, code);
      if (!row || row.archived) throw badRequest(`No account with code "${code}"`, [detail('unknown account', 'account')]);
      return row;
    },

    async postExchangeRate(principal: Principal, input: ExchangeRateInput): Promise<ExchangeRateOutput> {
      if (input.from_currency === input.to_currency) {
        throw badRequest('from_currency and to_currency must differ', [detail('same currency on both sides', 'to_currency')]);
      }
      const row = await repo.upsertExchangeRate(db, {
        tenant_id: principal.tenantId,
        id: randomUUID(),
        from_currency: input.from_currency,
        to_currency: input.to_currency,
        rate_date: input.exchange_rate_date,
        rate: rateOf(input.exchange_rate, 'exchange_rate'),
        inverse_rate: rateOf(input.inverse_exchange_rate, 'inverse_exchange_rate'),
      });
      return exchangeRateOutput(row);
    },

    async listExchangeRates(principal: Principal, query: ExchangeRateQuery) {
      // With both currencies, a rate stored the other way round is answered in the direction asked.
      let pair: [string, string] | undefined;
      const page = await paginate({
        query,
        filters: {
          from_currency: query.from_currency,
          to_currency: query.to_currency,
          gte: query['exchange_rate_date:gte'],
          lte: query['exchange_rate_date:lte'],
        },
        fields: { from_currency: cursorField.text(3), to_currency: cursorField.text(3), gte: cursorField.date, lte: cursorField.date },
        fetch: ({ filters: f, after, limit }) => {
          pair = f.from_currency && f.to_currency ? [f.from_currency, f.to_currency] : undefined;
          return repo.listExchangeRates(db, {
            tenantId: principal.tenantId,
            pair,
            from: pair ? undefined : f.from_currency,
            to: pair ? undefined : f.to_currency,
            dateFrom: f.gte,
            dateTo: f.lte,
            after,
            limit,
          });
        },
        key: (r) => ({ ts: r.created_at, id: r.id }),
      });
      return { items: page.rows.map((r) => exchangeRateOutput(r, pair !== undefined && r.from_currency !== pair[0])), next_cursor: page.next_cursor };
    },
  };
}
