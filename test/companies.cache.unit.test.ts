import { describe, expect, it } from 'vitest';
import { createCompanyCache } from '../src/modules/companies/companies.cache.js';
import type { CompanyRow } from '../src/modules/companies/companies.repo.js';

const row = (id: string, name = 'Acme') => ({ id, name }) as CompanyRow;

describe('company cache', () => {
  it('serves a found row from memory until its TTL passes, then reads again', async () => {
    let clock = 0;
    const cache = createCompanyCache({ ttlMs: 1000, maxEntries: 10, now: () => clock });
    let reads = 0;
    const load = async () => {
      reads++;
      return row('c1', `Acme ${reads}`);
    };
    expect((await cache.get('t1', 'c1', load))?.name).toBe('Acme 1');
    clock = 999;
    expect((await cache.get('t1', 'c1', load))?.name).toBe('Acme 1');
    clock = 1000;
    expect((await cache.get('t1', 'c1', load))?.name).toBe('Acme 2');
    expect(reads).toBe(2);
  });

  it('keys by tenant, so one tenant never gets another tenant\'s row for the same id', async () => {
    const cache = createCompanyCache({ ttlMs: 1000, maxEntries: 10 });
    await cache.get('t1', 'c1', async () => row('c1', 'Of tenant 1'));
    expect(await cache.get('t2', 'c1', async () => undefined)).toBeUndefined();
  });

  it('does not remember a miss: a company created afterwards is found at once', async () => {
    const cache = createCompanyCache({ ttlMs: 1000, maxEntries: 10 });
    expect(await cache.get('t1', 'c1', async () => undefined)).toBeUndefined();
    expect((await cache.get('t1', 'c1', async () => row('c1')))?.id).toBe('c1');
  });

  it('stays within its bound by dropping the oldest entry', async () => {
    const cache = createCompanyCache({ ttlMs: 1000, maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) await cache.get('t1', id, async () => row(id, `first ${id}`));
    expect((await cache.get('t1', 'a', async () => row('a', 'reloaded a')))?.name).toBe('reloaded a');
    expect((await cache.get('t1', 'c', async () => row('c', 'reloaded c')))?.name).toBe('first c');
  });
});
