import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';

export interface TemplateKey {
  tenantId: string;
  companyId: string;
}

const columns = ['id', 'name', 'body', 'created_at', 'updated_at'] as const;

/** A company's templates by name (a portal shows them as a list to pick from). */
export async function listTemplates(db: Executor, key: TemplateKey, limit: number) {
  return db
    .selectFrom('order_templates')
    .select(columns)
    .where('tenant_id', '=', key.tenantId)
    .where('company_id', '=', key.companyId)
    .orderBy('name')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function countTemplates(db: Executor, key: TemplateKey): Promise<number> {
  const row = await db
    .selectFrom('order_templates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', key.tenantId)
    .where('company_id', '=', key.companyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findTemplate(db: Executor, key: TemplateKey, id: string) {
  return db
    .selectFrom('order_templates')
    .select(columns)
    .where('tenant_id', '=', key.tenantId)
    .where('company_id', '=', key.companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findTemplateByName(db: Executor, key: TemplateKey, name: string) {
  return db
    .selectFrom('order_templates')
    .select(['id'])
    .where('tenant_id', '=', key.tenantId)
    .where('company_id', '=', key.companyId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertTemplate(db: Executor, key: TemplateKey, row: { id: string; name: string; body: string; created_by: string }) {
  return (
    db
      .insertInto('order_templates')
      .values({ tenant_id: key.tenantId, company_id: key.companyId, ...row })
      // Two saves of one name at once: the second finds the name taken instead of a driver error.
      .onConflict((oc) => oc.columns(['tenant_id', 'company_id', 'name']).doNothing())
      .returning(columns)
      .executeTakeFirst()
  );
}

export async function updateTemplate(db: Executor, key: TemplateKey, id: string, set: { name: string; body: string }) {
  return db
    .updateTable('order_templates')
    .set({ ...set, updated_at: sql<Date>`date_trunc('milliseconds', now())` })
    .where('tenant_id', '=', key.tenantId)
    .where('company_id', '=', key.companyId)
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
}

export async function deleteTemplate(db: Executor, key: TemplateKey, id: string): Promise<{ name: string } | undefined> {
  return db
    .deleteFrom('order_templates')
    .where('tenant_id', '=', key.tenantId)
    .where('company_id', '=', key.companyId)
    .where('id', '=', id)
    .returning(['name'])
    .executeTakeFirst();
}
