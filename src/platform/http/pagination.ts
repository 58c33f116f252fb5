import { badRequest } from './errors.js';

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

export function decodeCursor<F extends Record<string, unknown>>(cursor: string, givenFilters: Partial<F>): CursorState<F> {
  let state: CursorState<F>;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState<F>;
  } catch {
    throw badRequest('cursor is not valid; use next_cursor from the previous page');
  }
  if (
    typeof state !== 'object' ||
    state === null ||
    typeof state.filters !== 'object' ||
    state.filters === null ||
    typeof state.after?.ts !== 'string' ||
    typeof state.after?.id !== 'string' ||
    Number.isNaN(Date.parse(state.after.ts)) ||
    !/^[0-9a-f-]{36}$/i.test(state.after.id)
  ) {
    throw badRequest('cursor is not valid; use next_cursor from the previous page');
  }
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
  const last = keyOf(page[page.length - 1] as Row);
  return { rows: page, next_cursor: encodeCursor({ filters, after: { ts: last.ts.toISOString(), id: last.id } }) };
}
