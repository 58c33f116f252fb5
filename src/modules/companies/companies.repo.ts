import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { CompanyTable } from './companies.tables.js';
import './companies.tables.js';

export type CompanyRow = Selectable<CompanyTable>;

export async function insertCompany(db: Executor, row: Insertable<CompanyTable>) {
  return db.insertInto('companies').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findCompany(db: Executor, tenantId: string, id: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function findCompanyByCode(db: Executor, tenantId: string, code: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst();
}

export async function findCompaniesByAccountingCode(db: Executor, tenantId: string, accountingCode: string, limit = 2): Promise<CompanyRow[]> {
  return db.selectFrom('companies').selectAll().where('tenant_id', '=', tenantId).where('accounting_code', '=', accountingCode).limit(limit).execute();
}

/** Case-insensitive name match; may return several. */
export async function findCompaniesByName(db: Executor, tenantId: string, name: string, limit = 2): Promise<CompanyRow[]> {
  return db
    .selectFrom('companies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .limit(limit)
    .execute();
}

export interface CompanyListFilter {
  tenantId: string;
  onlyId?: string;
  updatedAfter?: Date;
  after?: { ts: Date; id: string };
  limit: number;
}

export async function listCompanies(db: Executor, f: CompanyListFilter): Promise<CompanyRow[]> {
  let q = db.selectFrom('companies').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.onlyId) q = q.where('id', '=', f.onlyId);
  if (f.updatedAfter) q = q.where('updated_at', '>', f.updatedAfter);
  const after = f.after;
  if (after) {
    q = q.where((eb) => eb.or([eb('updated_at', '>', after.ts), eb.and([eb('updated_at', '=', after.ts), eb('id', '>', after.id)])]));
  }
  return q.orderBy('updated_at').orderBy('id').limit(f.limit + 1).execute();
}
