import type { Executor } from './database.js';

/**
 * Increments and returns a named per-tenant counter (event positions, order names). The row lock
 * taken by the upsert holds other writers of the same counter until this transaction ends, which
 * is what makes the sequence gap-free: a rolled-back transaction gives its number back.
 */
export async function nextCounterValue(db: Executor, tenantId: string, name: string): Promise<number> {
  const row = await db
    .insertInto('tenant_counters')
    .values({ tenant_id: tenantId, name, value: 1 })
    .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet((eb) => ({ value: eb('tenant_counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}
