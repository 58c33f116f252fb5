import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { ResourcePositionTable } from './tracking.tables.js';
import './tracking.tables.js';

export type PositionRow = Selectable<ResourcePositionTable>;

/** How many positions each resource keeps; older ones are dropped as new ones arrive. */
export const HISTORY_LENGTH = 100;

/** Stores a position; false when this resource already has one at that time (a repeat). */
export async function insertPosition(exec: Executor, row: Omit<PositionRow, 'received_at'>): Promise<boolean> {
  const inserted = await exec
    .insertInto('resource_positions')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'resource_id', 'recorded_at']).doNothing())
    .returning('recorded_at')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The resource's newest positions, newest first. */
export async function recentPositions(exec: Executor, tenantId: string, resourceId: string, limit = HISTORY_LENGTH): Promise<PositionRow[]> {
  return exec
    .selectFrom('resource_positions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('resource_id', '=', resourceId)
    .orderBy('recorded_at', 'desc')
    .limit(limit)
    .execute();
}

/** Drops the resource's positions older than its newest `HISTORY_LENGTH`. */
export async function pruneHistory(exec: Executor, tenantId: string, resourceId: string): Promise<void> {
  const oldestKept = await exec
    .selectFrom('resource_positions')
    .select('recorded_at')
    .where('tenant_id', '=', tenantId)
    .where('resource_id', '=', resourceId)
    .orderBy('recorded_at', 'desc')
    .offset(HISTORY_LENGTH - 1)
    .limit(1)
    .executeTakeFirst();
  if (!oldestKept) return;
  await exec
    .deleteFrom('resource_positions')
    .where('tenant_id', '=', tenantId)
    .where('resource_id', '=', resourceId)
    .where('recorded_at', '<', oldestKept.recorded_at)
    .execute();
}
