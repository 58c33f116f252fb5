import type { Db } from '../../../platform/db/database.js';
import { isRecord } from '../../../platform/narrow.js';
import { badRequest, detail } from '../../../platform/http/errors.js';
import type { Principal } from '../../../platform/http/principal.js';
import * as repo from './locations.repo.js';
import type { SavedLocation, SavedLocationList, SavedLocationQuery } from './locations.schemas.js';

/** What the cursor carries: the search it was issued for and the last location sent. */
interface LocationCursor {
  q: string | null;
  customer_code: string | null;
  after: repo.LocationAfter;
}

const invalidCursor = () => badRequest('cursor is not valid; use next_cursor from the previous page');
/** The value when it is null or a string of at most `max` characters, else undefined (not valid). */
const textOrNull = (value: unknown, max: number): string | null | undefined =>
  value === null ? null : typeof value === 'string' && value.length <= max ? value : undefined;

/**
 * The keyset here is (uses, name, id), not the (timestamp, id) of platform/http/pagination.ts, so
 * the cursor is its own; it is checked field by field like any input before it reaches SQL.
 */
function decode(cursor: string): LocationCursor {
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!isRecord(state) || !isRecord(state.after)) throw invalidCursor();
  const q = textOrNull(state.q, 100);
  const customerCode = textOrNull(state.customer_code, 100);
  const { uses, name, id } = state.after;
  const valid =
    q !== undefined &&
    customerCode !== undefined &&
    typeof uses === 'number' &&
    Number.isInteger(uses) &&
    uses > 0 &&
    uses < 2 ** 31 &&
    typeof name === 'string' &&
    name.length <= 1000 &&
    typeof id === 'string' &&
    /^[0-9a-f]{32}$/.test(id);
  if (!valid) throw invalidCursor();
  return { q, customer_code: customerCode, after: { uses, name, id } };
}

const encode = (state: LocationCursor) => Buffer.from(JSON.stringify(state)).toString('base64url');

const output = (row: repo.LocationRow): SavedLocation => ({
  id: row.id,
  name: row.name || null,
  address: row.address || null,
  postal_code: row.postal_code || null,
  city: row.city || null,
  country: row.country || null,
  uses: row.uses,
});

export type SavedLocations = ReturnType<typeof createSavedLocations>;

/**
 * Saved locations: the places a customer's own orders and templates already use, most used first,
 * so the booking form fills a stop from one pick instead of retyping it. A CUSTOMER sees only its
 * company's; a TENANT names the customer.
 */
export function createSavedLocations(deps: { db: Db; companies: { findCompanyId(tenantId: string, idOrCode: string): Promise<string | undefined> } }) {
  const { db, companies } = deps;

  /** The company whose places the caller may see, or undefined when there is none to show. */
  async function companyOf(principal: Principal, customerCode: string | null): Promise<string | undefined> {
    if (principal.role === 'CUSTOMER' && principal.companyId) {
      if (customerCode === null) return principal.companyId;
      const named = await companies.findCompanyId(principal.tenantId, customerCode);
      // Another customer's code finds nothing, exactly like a code that does not exist.
      return named === principal.companyId ? named : undefined;
    }
    if (principal.role !== 'TENANT') return undefined;
    if (customerCode === null) throw badRequest('customer_code is required for a tenant', [detail('required', 'customer_code')]);
    return companies.findCompanyId(principal.tenantId, customerCode);
  }

  return {
    async list(principal: Principal, query: SavedLocationQuery): Promise<SavedLocationList> {
      const given = { q: query.q ?? null, customer_code: query.customer_code ?? null };
      const state = query.cursor === undefined ? undefined : decode(query.cursor);
      for (const key of ['q', 'customer_code'] as const) {
        if (state && given[key] !== null && given[key] !== state[key]) {
          throw badRequest(`cursor was issued for a different ${key}; send the cursor alone or with the same filters`);
        }
      }
      const filters = state ? { q: state.q, customer_code: state.customer_code } : given;
      const companyId = await companyOf(principal, filters.customer_code);
      if (companyId === undefined) return { items: [], next_cursor: null };
      const limit = query.limit ?? 50;
      const rows = await repo.listLocations(db, {
        tenantId: principal.tenantId,
        companyId,
        search: filters.q ?? undefined,
        after: state?.after,
        limit,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const next_cursor = rows.length > limit && last ? encode({ ...filters, after: { uses: last.uses, name: last.sort_name, id: last.id } }) : null;
      return { items: page.map(output), next_cursor };
    },
  };
}
