import { sql, type RawBuilder } from 'kysely';

/**
 * The statement that increments a named per-tenant counter (event positions, order names) and
 * returns the new `value`, for use as a CTE of a larger statement. The row lock taken by the
 * upsert holds other writers of the same counter until this transaction ends, which is what makes
 * the sequence gap-free: a rolled-back transaction gives its number back.
 */
export function drawCounter(tenantId: string, name: string): RawBuilder<unknown> {
  return sql`
    insert into tenant_counters (tenant_id, name, value) values (${tenantId}, ${name}, 1)
    on conflict (tenant_id, name) do update set value = tenant_counters.value + 1
    returning value`;
}
