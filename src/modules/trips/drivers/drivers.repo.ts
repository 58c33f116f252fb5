import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { DriverLinkTable } from './drivers.tables.js';
import './drivers.tables.js';

export type DriverLinkRow = Selectable<DriverLinkTable>;

export async function insertLink(exec: Executor, row: Insertable<DriverLinkTable>): Promise<DriverLinkRow> {
  return exec.insertInto('driver_links').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A trip's links, oldest first; a subcontractor's (`companyId`) only its own. */
export async function listLinks(exec: Executor, tenantId: string, tripId: string, companyId: string | null): Promise<DriverLinkRow[]> {
  let q = exec.selectFrom('driver_links').selectAll().where('tenant_id', '=', tenantId).where('trip_id', '=', tripId);
  if (companyId) q = q.where('company_id', '=', companyId);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function findLink(exec: Executor, tenantId: string, tripId: string, id: string, companyId: string | null, forUpdate = false) {
  let q = exec.selectFrom('driver_links').selectAll().where('tenant_id', '=', tenantId).where('trip_id', '=', tripId).where('id', '=', id);
  if (companyId) q = q.where('company_id', '=', companyId);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

/**
 * The phone knows only a token, not its tenant: these two look a link up by a token's hash across
 * tenants (the hash of 256 random bits names one link), and every later query names its tenant.
 */
export async function findByTokenHash(exec: Executor, tokenHash: string, forUpdate = false) {
  const q = exec.selectFrom('driver_links').selectAll().where('token_hash', '=', tokenHash);
  return (forUpdate ? q.forUpdate() : q).executeTakeFirst();
}

export async function findByAccessHash(exec: Executor, accessHash: string) {
  return exec.selectFrom('driver_links').selectAll().where('access_hash', '=', accessHash).executeTakeFirst();
}

export async function updateLink(exec: Executor, tenantId: string, id: string, set: Updateable<DriverLinkTable>): Promise<DriverLinkRow> {
  return exec.updateTable('driver_links').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** One more wrong PIN, counted in the row so every process sees it; locks the link at `max`. */
export async function countWrongPin(exec: Executor, tenantId: string, id: string, max: number): Promise<DriverLinkRow> {
  return exec
    .updateTable('driver_links')
    .set({
      failed_pins: sql<number>`failed_pins + 1`,
      locked_at: sql<Date | null>`case when failed_pins + 1 >= ${max} then now() else locked_at end`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
