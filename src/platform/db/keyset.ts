import { sql, type SelectQueryBuilder } from 'kysely';

/**
 * Keyset paging: rows strictly after the last one sent, in `(time column, id)` order. A row-value
 * comparison reads the `(tenant_id, <time>, id)` indexes directly.
 */
export function keysetAfter(timeColumn: string, idColumn: string, after: { ts: Date; id: string }) {
  return sql<boolean>`(${sql.ref(timeColumn)}, ${sql.ref(idColumn)}) > (${after.ts}, ${after.id}::uuid)`;
}

/**
 * One page of `q` in `(time column, id)` order, after `page.after`: `limit + 1` rows, so the caller
 * learns whether another page follows without a count (see `platform/http/pagination.ts`).
 */
export function keysetPage<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  timeColumn: string,
  page: { after?: { ts: Date; id: string }; limit: number },
) {
  return (page.after ? q.where(keysetAfter(timeColumn, 'id', page.after)) : q)
    .orderBy(sql.ref(timeColumn))
    .orderBy(sql.ref('id'))
    .limit(page.limit + 1)
    .execute();
}
