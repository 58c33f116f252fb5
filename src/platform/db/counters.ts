import { sql, type RawBuilder } from 'kysely';

/**
 * The statement that increments a named per-tenant counter (event positions, order names) and
 * returns the new `value`, for use as a CTE of a larger statement. The row lock taken by the
 * upsert holds other writers of the same counter until this transaction ends, which is what makes
 * the sequence gap-free: a rolled-back transaction gives its number back.
 */
export function drawCounter(tenantId: string, name: string, options: { after?: string; count?: number } = {}): RawBuilder<unknown> {
  // `count`: numbers drawn at once (the statement answers the last; the others are the ones before it).
  const count = sql.lit(options.count ?? 1);
  // `after`: a CTE of the same statement that must run to its end first (and have written rows) before the draw.
  const source = options.after
    ? sql`select ${tenantId}::uuid, ${name}::text, ${count} from (select count(*) as n from ${sql.table(options.after)}) as written where written.n > 0`
    : sql`values (${tenantId}, ${name}, ${count})`;
  return sql`
    insert into tenant_counters (tenant_id, name, value) ${source}
    on conflict (tenant_id, name) do update set value = tenant_counters.value + excluded.value
    returning value`;
}
