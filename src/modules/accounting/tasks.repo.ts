import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { SyncTaskTable } from './accounting.tables.js';
import './accounting.tables.js';

export type TaskRow = Selectable<SyncTaskTable>;

export async function insertTask(db: Executor, row: Insertable<SyncTaskTable>) {
  await db.insertInto('sync_tasks').values(row).execute();
}

/**
 * Open tasks (TODO), oldest first; optionally one billing entity's. The contract's list has no
 * paging, so it is capped: a connector that reports what it processed sees the next ones on its
 * next call.
 */
export async function listOpenTasks(db: Executor, tenantId: string, billingEntityId?: string, limit = 1000): Promise<TaskRow[]> {
  let q = db.selectFrom('sync_tasks').selectAll().where('tenant_id', '=', tenantId).where('status', '=', 'TODO');
  if (billingEntityId) q = q.where('billing_entity_id', '=', billingEntityId);
  return q.orderBy('created_at').orderBy('id').limit(limit).execute();
}

export async function findTask(db: Executor, tenantId: string, id: string, lock = false): Promise<TaskRow | undefined> {
  const q = db.selectFrom('sync_tasks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function updateTask(db: Executor, tenantId: string, id: string, set: Updateable<SyncTaskTable>): Promise<TaskRow> {
  return db.updateTable('sync_tasks').set({ ...set, updated_at: new Date() }).where('tenant_id', '=', tenantId).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
