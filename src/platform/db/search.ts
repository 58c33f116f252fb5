import { sql, type RawBuilder } from 'kysely';

/**
 * A list's free-text filter: rows where any of `columns` contains `text`, ignoring case. The
 * text's `%`, `_` and `\` are matched as themselves (escaped), so a search for `50%` never turns
 * into a pattern. Columns are SQL expressions the caller writes (a column, or a jsonb field).
 */
export function containsText(columns: RawBuilder<unknown>[], text: string): RawBuilder<boolean> {
  const pattern = containsPattern(text);
  return sql<boolean>`(${sql.join(
    columns.map((c) => sql`${c} ilike ${pattern}`),
    sql` or `,
  )})`;
}

/** The ILIKE pattern for "contains `text`", its `%`, `_` and `\` escaped (PostgreSQL's default escape is `\`). */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
