import { sql, type RawBuilder } from 'kysely';
import type { EventPrelude } from '../events/append.js';
import type { Executor } from './database.js';

/** The upsert that moves a per-tenant clock on and returns its new `value` (epoch milliseconds). */
function tickClock(tenantId: string, clock: string): RawBuilder<{ value: number | string }> {
  return sql<{ value: number | string }>`
    insert into tenant_counters (tenant_id, name, value)
    values (${tenantId}, ${clock}, floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
    on conflict (tenant_id, name) do update
      set value = greatest(tenant_counters.value + 1, floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
    returning value`;
}

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
  const { rows } = await tickClock(tenantId, clock).execute(tx);
  const row = rows[0];
  if (!row) throw new Error('drawing a change time returned no row');
  return new Date(Number(row.value));
}

/** A placeholder `updated_at` for a row whose change time `stampChangeTime` draws later in the same transaction. */
export const UNSTAMPED = new Date(0);

/**
 * Draws the change time of a row written earlier in this transaction (with `UNSTAMPED`) inside
 * the statement of its event, so the clock's lock, which writers of the tenant queue on, is held
 * for that one statement and COMMIT only, not across the round trips of the writes before it.
 * Commit order and change times still agree: the draw happens under the lock, which is kept
 * until COMMIT. The event's `record.<field>` gets the time in the ISO form answers use.
 */
export function stampChangeTime(target: { tenantId: string; clock: string; table: 'resources'; id: string; record: object; field: string }): EventPrelude {
  return {
    ctes: sql`
      ticked as (${tickClock(target.tenantId, target.clock)}), stamped as (
        update ${sql.table(target.table)} set updated_at = timestamptz 'epoch' + (select value from ticked) * interval '1 millisecond'
        where tenant_id = ${target.tenantId} and id = ${target.id}
        returning updated_at
      )`,
    payload: sql`jsonb_build_object('record', ${JSON.stringify(target.record)}::jsonb || jsonb_build_object(${target.field}::text,
      to_char((select updated_at from stamped) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))`,
  };
}
