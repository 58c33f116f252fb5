import { isRecord } from '../narrow.js';
import { badRequest } from './errors.js';
import { isUuid } from './schemas.js';

/**
 * Opaque cursors: base64url JSON of the filters a list was started with and the keyset position
 * of the last item sent. The contract lets a cursor stand alone; we also accept it beside the
 * same filters (many clients keep them), and refuse different ones instead of guessing.
 */
export interface CursorState<F> {
  filters: F;
  after: { ts: string; id: string };
}

export function encodeCursor<F>(state: CursorState<F>): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/**
 * How one filter kept in a cursor must look. A cursor comes back from the client, so it is input
 * like any other: every field is checked before any of it reaches a query (a forged filter value
 * must be a 400 on both engines, never a database error).
 */
export type CursorField = (value: unknown) => boolean;

const absent = (value: unknown) => value === undefined || value === null;
const ISO_INSTANT = /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d{1,9})?([Zz]|[+-]\d\d:\d\d)$/;

export const cursorField = {
  /** An optional RFC 3339 date-time. */
  dateTime: (value: unknown) => absent(value) || (typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))),
  /** An optional value from a fixed list. */
  oneOf:
    (values: readonly string[]): CursorField =>
    (value) =>
      absent(value) || (typeof value === 'string' && values.includes(value)),
  /** An optional calendar date, `YYYY-MM-DD`. */
  date: (value: unknown) => absent(value) || (typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value) && !Number.isNaN(Date.parse(value))),
  /** An optional id. */
  uuid: (value: unknown) => absent(value) || (typeof value === 'string' && isUuid(value)),
  /** An optional true or false. */
  boolean: (value: unknown) => absent(value) || typeof value === 'boolean',
  /** An optional string of at most `maxLength` characters. */
  text:
    (maxLength: number): CursorField =>
    (value) =>
      absent(value) || (typeof value === 'string' && value.length <= maxLength),
};

const invalidCursor = () => badRequest('cursor is not valid; use next_cursor from the previous page');

/** Whether a cursor's filters are exactly those `fields` names, each valid: only then are they the list's filters `F`. */
function isFilters<F extends Record<string, unknown>>(filters: Record<string, unknown>, fields: { [K in keyof F]: CursorField }): filters is F {
  return Object.keys(filters).every((key) => Object.hasOwn(fields, key)) && Object.entries<CursorField>(fields).every(([key, valid]) => valid(filters[key]));
}

/**
 * The state inside `cursor`, checked field by field against `fields` (the filters the list takes);
 * `givenFilters` are those sent beside the cursor, which must match the cursor's own.
 */
export function decodeCursor<F extends Record<string, unknown>>(
  cursor: string,
  givenFilters: Partial<F>,
  fields: { [K in keyof F]: CursorField },
): CursorState<F> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!isRecord(parsed) || !isRecord(parsed.filters) || !isRecord(parsed.after)) throw invalidCursor();
  const { filters, after } = parsed;
  const { ts, id } = after;
  if (typeof ts !== 'string' || typeof id !== 'string' || !cursorField.dateTime(ts) || !isUuid(id) || !isFilters<F>(filters, fields)) {
    throw invalidCursor();
  }
  const state: CursorState<F> = { filters, after: { ts, id } };
  for (const [key, value] of Object.entries(givenFilters)) {
    if (value !== undefined && JSON.stringify(state.filters[key]) !== JSON.stringify(value)) {
      throw badRequest(`cursor was issued for a different ${key}; send the cursor alone or with the same filters`);
    }
  }
  return state;
}

/** Splits one extra fetched row off a page to know whether another page follows. */
export function pageOf<Row, F>(
  rows: Row[],
  limit: number,
  filters: F,
  keyOf: (row: Row) => { ts: Date; id: string },
): { rows: Row[]; next_cursor: string | null } {
  if (rows.length <= limit) return { rows, next_cursor: null };
  const page = rows.slice(0, limit);
  const lastRow = page.at(-1);
  if (lastRow === undefined) throw new Error('a page holds at least one row');
  const last = keyOf(lastRow);
  return { rows: page, next_cursor: encodeCursor({ filters, after: { ts: last.ts.toISOString(), id: last.id } }) };
}

/** A keyset position: the timestamp and id of the last row of the previous page. */
export interface After {
  ts: Date;
  id: string;
}

/**
 * One page of a keyset-paged list, the cursor dance in one place: decodes `query.cursor` (checked
 * against `fields`, and against the filters sent beside it, `given`, which default to `filters`),
 * fetches after its position with the filters in effect (the cursor's own when one is sent, so a
 * cursor can stand alone), and cuts the page with a next cursor that carries them on.
 * `fetch` gets `limit` and returns up to one row more, which tells whether another page follows.
 * Only filters the caller chooses belong in `filters`: scope (tenant, company) comes from the
 * principal inside `fetch`, never from a cursor.
 */
export async function paginate<Row, F extends Record<string, unknown>>(list: {
  query: { cursor?: string; limit?: number };
  filters: F;
  fields: { [K in keyof F]: CursorField };
  given?: Partial<F>;
  fetch: (page: { filters: F; after: After | undefined; limit: number }) => Promise<Row[]>;
  key: (row: Row) => After;
  defaultLimit?: number;
}): Promise<{ rows: Row[]; next_cursor: string | null }> {
  const limit = list.query.limit ?? list.defaultLimit ?? 100;
  const state = list.query.cursor ? decodeCursor<F>(list.query.cursor, list.given ?? list.filters, list.fields) : undefined;
  const after = state && { ts: new Date(state.after.ts), id: state.after.id };
  const filters = state?.filters ?? list.filters;
  const rows = await list.fetch({ filters, after, limit });
  return pageOf(rows, limit, filters, list.key);
}
