import type { CompanyRow } from './companies.repo.js';

/**
 * Companies recently read by id (or by code), for the hot paths of other modules (every order read
 * names its customer). Entries live a few seconds at most. A change drops the company's entries
 * (`forget`) in the writing process at commit, and in every other process when PostgreSQL's
 * notification of the change arrives (`companies.service.ts`); the TTL only bounds how long a
 * missed notification (a dropped LISTEN connection) can leave a stale row.
 * Only found rows are kept (a company created a moment ago must not be hidden by a cached miss),
 * and the map is bounded: when full, the oldest entry goes.
 */
export function createCompanyCache(options: { ttlMs: number; maxEntries: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { row: CompanyRow; expires: number }>();
  const keyOf = (tenantId: string, key: string) => `${tenantId}:${key}`;

  return {
    /** The cached row, or what `load` finds (kept when found). */
    async get(tenantId: string, key: string, load: () => Promise<CompanyRow | undefined>): Promise<CompanyRow | undefined> {
      const cacheKey = keyOf(tenantId, key);
      const hit = entries.get(cacheKey);
      if (hit && hit.expires > now()) return hit.row;
      entries.delete(cacheKey);
      const row = await load();
      if (row) {
        if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value as string);
        entries.set(cacheKey, { row, expires: now() + options.ttlMs });
      }
      return row;
    },

    /** Drops every entry of one company (under its id, its code, ...). */
    forget(tenantId: string, companyId: string): void {
      for (const [key, entry] of entries) {
        if (entry.row.tenant_id === tenantId && entry.row.id === companyId) entries.delete(key);
      }
    },

    clear(): void {
      entries.clear();
    },
  };
}
