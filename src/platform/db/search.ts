import { sql, type RawBuilder } from 'kysely';

/**
 * A list's free-text filter: rows where any of `columns` contains `text`, ignoring case. The
 * text's `%`, `_` and `\` are matched as themselves (escaped), so a search for `50%` never turns
 * into a pattern. Columns are SQL expressions the caller writes (a column, or a jsonb field).
 */
export function containsText(columns: RawBuilder<unknown>[], text: string): RawBuilder<boolean> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`(${sql.join(
    columns.map((c) => sql`${c} ilike ${pattern}`),
    sql` or `,
  )})`;
}
