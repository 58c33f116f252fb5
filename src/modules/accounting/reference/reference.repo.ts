import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import { keysetPage } from '../../../platform/db/keyset.js';
import type { BillingEntityTable, ExchangeRateTable, GlAccountTable, TaxRateTable } from './reference.tables.js';
import './reference.tables.js';

export type BillingEntityRow = Selectable<BillingEntityTable>;
export type TaxRateRow = Selectable<TaxRateTable>;
export type AccountRow = Selectable<GlAccountTable>;
export type ExchangeRateRow = Selectable<ExchangeRateTable>;

/** Keyset position of lists ordered by creation. */
export interface After {
  ts: Date;
  id: string;
}

export async function insertBillingEntity(db: Executor, row: Insertable<BillingEntityTable>) {
  return db.insertInto('billing_entities').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function clearDefaultEntity(db: Executor, tenantId: string) {
  await db.updateTable('billing_entities').set({ is_default: false }).where('tenant_id', '=', tenantId).where('is_default', '=', true).execute();
}

export async function listBillingEntities(db: Executor, tenantId: string): Promise<BillingEntityRow[]> {
  return db.selectFrom('billing_entities').selectAll().where('tenant_id', '=', tenantId).orderBy('code').execute();
}

export async function findBillingEntity(db: Executor, tenantId: string, by: { id?: string; code?: string }): Promise<BillingEntityRow | undefined> {
  let q = db.selectFrom('billing_entities').selectAll().where('tenant_id', '=', tenantId);
  if (by.id) q = q.where('id', '=', by.id);
  if (by.code) q = q.where('code', '=', by.code);
  return q.executeTakeFirst();
}

export async function insertTaxRate(db: Executor, row: Insertable<TaxRateTable>) {
  return db.insertInto('tax_rates').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertAccount(db: Executor, row: Insertable<GlAccountTable>) {
  return db.insertInto('gl_accounts').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTaxRate(db: Executor, tenantId: string, id: string): Promise<TaxRateRow | undefined> {
  return db.selectFrom('tax_rates').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** Tax rates with this code for one kind of document, in every entity (several entities may reuse a code). */
export async function findTaxRatesByCode(db: Executor, tenantId: string, code: string, invoiceType: TaxRateRow['invoice_type']): Promise<TaxRateRow[]> {
  return db
    .selectFrom('tax_rates')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('code', '=', code)
    .where('invoice_type', '=', invoiceType)
    .where('archived', '=', false)
    .execute();
}

export async function findAccount(db: Executor, tenantId: string, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('gl_accounts').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function findAccountByCode(db: Executor, tenantId: string, entityId: string, code: string): Promise<AccountRow | undefined> {
  return db
    .selectFrom('gl_accounts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('billing_entity_id', '=', entityId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export interface ReferenceFilter {
  tenantId: string;
  archived?: boolean;
  billingEntityId?: string;
  after?: After;
  limit: number;
}

export async function listTaxRates(db: Executor, f: ReferenceFilter): Promise<TaxRateRow[]> {
  let q = db.selectFrom('tax_rates').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.archived !== undefined) q = q.where('archived', '=', f.archived);
  if (f.billingEntityId) q = q.where('billing_entity_id', '=', f.billingEntityId);
  return keysetPage(q, 'created_at', f);
}

export async function listAccounts(db: Executor, f: ReferenceFilter): Promise<AccountRow[]> {
  let q = db.selectFrom('gl_accounts').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.archived !== undefined) q = q.where('archived', '=', f.archived);
  if (f.billingEntityId) q = q.where('billing_entity_id', '=', f.billingEntityId);
  return keysetPage(q, 'created_at', f);
}

const exchangeRateColumns = ['tenant_id', 'id', 'from_currency', 'to_currency', 'rate', 'inverse_rate', 'created_at'] as const;

/** Posting the same pair and day again replaces the rate (one rate per pair and day). */
export async function upsertExchangeRate(db: Executor, row: Insertable<ExchangeRateTable>): Promise<ExchangeRateRow> {
  return db
    .insertInto('exchange_rates')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'from_currency', 'to_currency', 'rate_date'])
        .doUpdateSet((eb) => ({ rate: eb.ref('excluded.rate'), inverse_rate: eb.ref('excluded.inverse_rate') })),
    )
    .returning([...exchangeRateColumns, sql<string>`rate_date::text`.as('rate_date')])
    .executeTakeFirstOrThrow();
}

export interface ExchangeRateFilter {
  tenantId: string;
  /** Both directions of this pair (the service turns reversed rows around). */
  pair?: [string, string];
  from?: string;
  to?: string;
  dateFrom?: string;
  dateTo?: string;
  after?: After;
  limit: number;
}

export async function listExchangeRates(db: Executor, f: ExchangeRateFilter): Promise<ExchangeRateRow[]> {
  let q = db
    .selectFrom('exchange_rates')
    .select([...exchangeRateColumns, sql<string>`rate_date::text`.as('rate_date')])
    .where('tenant_id', '=', f.tenantId);
  const pair = f.pair;
  if (pair) {
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('from_currency', '=', pair[0]), eb('to_currency', '=', pair[1])]),
        eb.and([eb('from_currency', '=', pair[1]), eb('to_currency', '=', pair[0])]),
      ]),
    );
  }
  if (f.from) q = q.where('from_currency', '=', f.from);
  if (f.to) q = q.where('to_currency', '=', f.to);
  if (f.dateFrom) q = q.where('rate_date', '>=', f.dateFrom);
  if (f.dateTo) q = q.where('rate_date', '<=', f.dateTo);
  return keysetPage(q, 'created_at', f);
}

/**
 * The rate of a pair in force on a day: the latest recorded on or before it, in either direction
 * (a reversed row is answered through its inverse by the caller); on one day, the direction asked wins.
 */
export async function rateInForce(db: Executor, tenantId: string, from: string, to: string, day: string): Promise<ExchangeRateRow | undefined> {
  return db
    .selectFrom('exchange_rates')
    .select([...exchangeRateColumns, sql<string>`rate_date::text`.as('rate_date')])
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eb.or([eb.and([eb('from_currency', '=', from), eb('to_currency', '=', to)]), eb.and([eb('from_currency', '=', to), eb('to_currency', '=', from)])]),
    )
    .where('rate_date', '<=', day)
    .orderBy('rate_date', 'desc')
    .orderBy(sql`from_currency = ${from}`, 'desc')
    .limit(1)
    .executeTakeFirst();
}
