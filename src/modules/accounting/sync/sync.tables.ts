import type { Generated, Json } from '../../../platform/db/database.js';
import type { TaskDetail } from './sync.schemas.js';

export interface SyncTaskTable {
  tenant_id: string;
  id: string;
  task_type: TaskDetail['task_type'];
  status: TaskDetail['status'];
  document_id: string;
  billing_entity_id: string;
  failure: Json<NonNullable<TaskDetail['failure']>> | null;
  /** When the task (re)entered the TODO queue, from the tenant's change clock: the queue's order. */
  queued_at: Date;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../../platform/db/database.js' {
  interface Database {
    sync_tasks: SyncTaskTable;
  }
}
