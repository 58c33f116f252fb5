import { describe, expect, it } from 'vitest';
import { createCompanyCache } from '../../src/modules/companies/companies.cache.js';
import type { CompanyRow } from '../../src/modules/companies/companies.repo.js';

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

  it("keys by tenant, so one tenant never gets another tenant's row for the same id", async () => {
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

describe('company cache forgetting', () => {
  it('drops every entry of one company (by id and by code) and nothing else', async () => {
    const cache = createCompanyCache({ ttlMs: 60_000, maxEntries: 10 });
    const stored = (id: string, tenant = 't1') => ({ id, tenant_id: tenant, name: `${id} old` }) as CompanyRow;
    await cache.get('t1', 'c1', async () => stored('c1'));
    await cache.get('t1', 'code:C1', async () => stored('c1'));
    await cache.get('t1', 'c2', async () => stored('c2'));
    await cache.get('t2', 'c1', async () => stored('c1', 't2'));
    cache.forget('t1', 'c1');
    const fresh = async () => ({ id: 'c1', name: 'c1 new' }) as CompanyRow;
    expect((await cache.get('t1', 'c1', fresh))?.name).toBe('c1 new');
    expect((await cache.get('t1', 'code:C1', fresh))?.name).toBe('c1 new');
    expect((await cache.get('t1', 'c2', fresh))?.name).toBe('c2 old');
    expect((await cache.get('t2', 'c1', fresh))?.name).toBe('c1 old');
  });
});
