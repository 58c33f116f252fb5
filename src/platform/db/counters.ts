import { sql, type RawBuilder } from 'kysely';

/**
 * The statement that increments a named per-tenant counter (event positions, order names) and
 * returns the new `value`, for use as a CTE of a larger statement. The row lock taken by the
 * upsert holds other writers of the same counter until this transaction ends, which is what makes
 * the sequence gap-free: a rolled-back transaction gives its number back.
 */
export function drawCounter(tenantId: string, name: string, after?: string): RawBuilder<unknown> {
  // `after`: a CTE of the same statement that must run first (and have written a row) before the draw.
  const source = after ? sql`select ${tenantId}::uuid, ${name}::text, 1 from ${sql.table(after)}` : sql`values (${tenantId}, ${name}, 1)`;
  return sql`
    insert into tenant_counters (tenant_id, name, value) ${source}
    on conflict (tenant_id, name) do update set value = tenant_counters.value + 1
    returning value`;
}
