import { sql } from 'kysely';

/**
 * Keyset paging: rows strictly after the last one sent, in `(time column, id)` order. A row-value
 * comparison reads the `(tenant_id, <time>, id)` indexes directly.
 */
export function keysetAfter(timeColumn: string, idColumn: string, after: { ts: Date; id: string }) {
  return sql<boolean>`(${sql.ref(timeColumn)}, ${sql.ref(idColumn)}) > (${after.ts}, ${after.id}::uuid)`;
}
