import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { keysetPage } from '../../platform/db/keyset.js';
import { containsText } from '../../platform/db/search.js';
import type { CompanyRole } from './companies.schemas.js';
import type { CompanyTable } from './companies.tables.js';
import './companies.tables.js';

export type CompanyRow = Selectable<CompanyTable>;

export async function insertCompany(db: Executor, row: Insertable<CompanyTable>) {
  return db.insertInto('companies').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findCompany(db: Executor, tenantId: string, id: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** The row, locked until the transaction ends, for a read-check-write. */
export async function lockCompany(db: Executor, tenantId: string, id: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Writes new column values and moves the version on by one. */
export async function updateCompany(db: Executor, tenantId: string, id: string, values: Updateable<CompanyTable>): Promise<CompanyRow> {
  return db
    .updateTable('companies')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findCompanyByCode(db: Executor, tenantId: string, code: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('tenant_id', '=', tenantId).where('code', '=', code).executeTakeFirst();
}

export async function findCompanyByAccountingCode(db: Executor, tenantId: string, code: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('tenant_id', '=', tenantId).where('accounting_code', '=', code).executeTakeFirst();
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
  /** Name, code or accounting code containing this, ignoring case. */
  search?: string;
  /** Only companies in this role (archived in it or not). */
  role?: CompanyRole;
  after?: { ts: Date; id: string };
  limit: number;
}

export async function listCompanies(db: Executor, f: CompanyListFilter): Promise<CompanyRow[]> {
  let q = db.selectFrom('companies').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.onlyId) q = q.where('id', '=', f.onlyId);
  if (f.updatedAfter) q = q.where('updated_at', '>', f.updatedAfter);
  if (f.search) q = q.where(containsText([sql.ref('name'), sql.ref('code'), sql.ref('accounting_code')], f.search));
  if (f.role) q = q.where(`is_${f.role}`, '=', true);
  return keysetPage(q, 'updated_at', f);
}
