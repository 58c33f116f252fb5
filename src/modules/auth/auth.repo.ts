import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { ApiClientTable } from './auth.tables.js';
import './auth.tables.js';
import { keysetPage } from '../../platform/db/keyset.js';

export type ApiClientRow = Selectable<ApiClientTable>;

export async function insertTenant(db: Executor, id: string, name: string) {
  return db.insertInto('tenants').values({ id, name }).returningAll().executeTakeFirstOrThrow();
}

export async function findTenant(db: Executor, id: string) {
  return db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countTenants(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('tenants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertApiClient(db: Executor, row: Omit<ApiClientTable, 'created_at' | 'revoked_at' | 'user_id'> & { user_id?: string }) {
  return db.insertInto('api_clients').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findApiClientByClientId(db: Executor, clientId: string) {
  return db.selectFrom('api_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

export async function findApiClientByRowId(db: Executor, id: string) {
  return db.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findApiClient(db: Executor, tenantId: string, id: string) {
  return db.selectFrom('api_clients').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

export async function listApiClients(db: Executor, tenantId: string | undefined, after: { ts: Date; id: string } | undefined, limit: number) {
  // People's hidden clients are managed as users, not listed here.
  let query = db.selectFrom('api_clients').selectAll().where('user_id', 'is', null);
  if (tenantId) query = query.where('tenant_id', '=', tenantId);
  return keysetPage(query, 'created_at', { after, limit });
}

export async function markRevoked(db: Executor, tenantId: string, id: string): Promise<ApiClientRow | undefined> {
  return db
    .updateTable('api_clients')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('user_id', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Locks the tenant's row for the rest of the transaction: revocations of one tenant's clients then
 * run one after another, so two admins revoking each other cannot both see the other still active.
 */
export async function lockTenant(db: Executor, tenantId: string): Promise<void> {
  await db.selectFrom('tenants').select('id').where('id', '=', tenantId).forUpdate().executeTakeFirst();
}

/** Active (not revoked) TENANT API clients of a tenant: the ones that can administer it. */
export async function countActiveAdmins(db: Executor, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('api_clients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('role', '=', 'TENANT')
    .where('kind', '=', 'API')
    .where('revoked_at', 'is', null)
    .where('user_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Revokes or restores the hidden client a person owns, with the person's account. */
export async function setPersonClientRevoked(db: Executor, tenantId: string, userId: string, revoked: boolean) {
  return db
    .updateTable('api_clients')
    .set({ revoked_at: revoked ? new Date() : null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', userId)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}
