import type { Insertable, Selectable, Updateable } from 'kysely';
import { drawChangeTime } from '../../../platform/db/change-clock.js';
import type { Executor } from '../../../platform/db/database.js';
import { keysetAfter } from '../../../platform/db/keyset.js';
import type { SyncTaskTable } from './sync.tables.js';
import './sync.tables.js';

export type TaskRow = Selectable<SyncTaskTable>;

/** The change clock the queue is ordered by (see `queued_at`). */
const QUEUE_CLOCK = 'sync_tasks:queue';

/** Must run inside the transaction that writes the task: the clock row stays locked until it commits. */
export async function insertTask(db: Executor, row: Omit<Insertable<SyncTaskTable>, 'queued_at'>) {
  const queuedAt = await drawChangeTime(db, row.tenant_id, QUEUE_CLOCK);
  await db
    .insertInto('sync_tasks')
    .values({ ...row, queued_at: queuedAt })
    .execute();
}

export interface TaskFilter {
  tenantId: string;
  status: TaskRow['status'];
  billingEntityId?: string;
  after?: { ts: Date; id: string };
  limit: number;
}

/**
 * Tasks in one state in queue order, one more than `limit` (to tell whether a page follows);
 * optionally one billing entity's. Queue times follow commit order, so a task that becomes TODO
 * while a reader pages is listed after the reader's position, never skipped.
 */
export async function listTasks(db: Executor, f: TaskFilter): Promise<TaskRow[]> {
  let q = db.selectFrom('sync_tasks').selectAll().where('tenant_id', '=', f.tenantId).where('status', '=', f.status);
  if (f.billingEntityId) q = q.where('billing_entity_id', '=', f.billingEntityId);
  if (f.after) q = q.where(keysetAfter('queued_at', 'id', f.after));
  return q
    .orderBy('queued_at')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
}

export async function findTask(db: Executor, tenantId: string, id: string, lock = false): Promise<TaskRow | undefined> {
  const q = db.selectFrom('sync_tasks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

/** A task back in the queue, behind every task queued before. */
export async function requeueTask(db: Executor, tenantId: string, id: string): Promise<TaskRow> {
  return updateTask(db, tenantId, id, { status: 'TODO', queued_at: await drawChangeTime(db, tenantId, QUEUE_CLOCK) });
}

export async function updateTask(db: Executor, tenantId: string, id: string, set: Updateable<SyncTaskTable>): Promise<TaskRow> {
  return db
    .updateTable('sync_tasks')
    .set({ ...set, updated_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Tasks the accounting system reported as FAILED, waiting to be fixed and retried (the console's overview). */
export async function countFailedTasks(db: Executor, tenantId: string): Promise<number> {
  const row = await db
    .selectFrom('sync_tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'FAILED')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
