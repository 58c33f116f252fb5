import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import { keysetPage } from '../../../platform/db/keyset.js';
import type { ResourceUnavailabilityTable } from '../resources.tables.js';

export type UnavailabilityRow = Selectable<ResourceUnavailabilityTable>;

export async function insertUnavailability(db: Executor, row: Insertable<ResourceUnavailabilityTable>): Promise<UnavailabilityRow> {
  return db.insertInto('resource_unavailabilities').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A live (not deleted) period of one resource; locked when `lock` is set. */
export async function findUnavailability(db: Executor, tenantId: string, resourceId: string, id: string, lock = false): Promise<UnavailabilityRow | undefined> {
  let q = db
    .selectFrom('resource_unavailabilities')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('resource_id', '=', resourceId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function updateUnavailability(
  db: Executor,
  tenantId: string,
  id: string,
  values: Updateable<ResourceUnavailabilityTable>,
): Promise<UnavailabilityRow> {
  return db
    .updateTable('resource_unavailabilities')
    .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Live periods of one resource overlapping [from, to), by start time. */
export async function listForResource(
  db: Executor,
  f: { tenantId: string; resourceId: string; from?: Date; to?: Date; after?: { ts: Date; id: string }; limit: number },
): Promise<UnavailabilityRow[]> {
  let q = db
    .selectFrom('resource_unavailabilities')
    .selectAll()
    .where('tenant_id', '=', f.tenantId)
    .where('resource_id', '=', f.resourceId)
    .where('deleted_at', 'is', null);
  const from = f.from;
  if (from) q = q.where((eb) => eb.or([eb('end_time', 'is', null), eb('end_time', '>', from)]));
  if (f.to) q = q.where('start_time', '<', f.to);
  return keysetPage(q, 'start_time', f);
}

/** Every period of the tenant changed after a time, deleted ones included, in change order. */
export async function listChanges(
  db: Executor,
  f: { tenantId: string; updatedAfter?: Date; after?: { ts: Date; id: string }; limit: number },
): Promise<UnavailabilityRow[]> {
  let q = db.selectFrom('resource_unavailabilities').selectAll().where('tenant_id', '=', f.tenantId);
  if (f.updatedAfter) q = q.where('updated_at', '>', f.updatedAfter);
  return keysetPage(q, 'updated_at', f);
}
