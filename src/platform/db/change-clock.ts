import { sql } from 'kysely';
import type { Executor } from './database.js';

/**
 * The `updated_at` for a change to a record that is listed with `updated_after` and cursors.
 *
 * A plain `now()` is taken when a transaction starts, but rows become visible when it commits: a
 * reader paging by update time could pass a timestamp while a transaction holding an earlier one
 * is still open, and never see that row. Drawing the time from a per-tenant clock row closes the
 * gap: its row lock is held until COMMIT, so the writers of one clock take turns, and each draws
 * a time after the previous writer committed. Times are whole milliseconds (what a cursor carries)
 * and strictly increasing, so no two changes share one and the (time, id) order never shifts.
 */
export async function drawChangeTime(tx: Executor, tenantId: string, clock: string): Promise<Date> {
  const { rows } = await sql<{ value: number | string }>`
    insert into tenant_counters (tenant_id, name, value)
    values (${tenantId}, ${clock}, floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
    on conflict (tenant_id, name) do update
      set value = greatest(tenant_counters.value + 1, floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
    returning value`.execute(tx);
  const row = rows[0];
  if (!row) throw new Error('drawing a change time returned no row');
  return new Date(Number(row.value));
}
