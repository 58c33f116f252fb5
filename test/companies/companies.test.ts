import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { as } from '../support/requests.js';

const ctx = useApp();
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Companies carrier');
});

const COMPANIES = '/v1/companies/company';

describe('POST /v1/companies/company', () => {
  it('creates a company in the contract shape and writes an event', async () => {
    const res = await as(admin).post(COMPANIES, {
      name: 'Acme Freight',
      code: 'ACME',
      currency: 'EUR',
      is_customer: true,
      vat_number: 'BE0123456789',
      billing_location: { address: 'Rue 1', city: 'Brussels', country: 'BE', postal_code: '1000' },
      contacts: [{ name: 'Ops', email: 'ops@example.com', roles: ['OPERATIONS'] }],
      sales: { payment_term: { code: 'NET_30' }, status: 'APPROVED' },
    });
    expect(res.statusCode).toBe(200);
    const company = res.json();
    expectContract('CompanyDetailOutput', company);
    expect(company).toMatchObject({ name: 'Acme Freight', code: 'ACME', currency: 'EUR', is_customer: true, vat_number: 'BE0123456789' });
    expect(company.contacts[0].id).toEqual(expect.any(String));

    const fetched = await as(admin).get(`/v1/companies/company/${company.id}`);
    expect(fetched.statusCode).toBe(200);
    expectContract('CompanyDetailOutput', fetched.json());
    expect(fetched.json()).toEqual(company);

    const events = await ctx.services.db.selectFrom('events').selectAll().where('entity_id', '=', company.id).execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'company.created', entity_type: 'company', tenant_id: admin.tenantId });
  });

  it('keeps code unique per tenant but reusable across tenants', async () => {
    await newCompany(ctx, admin, { name: 'Unique One', code: 'UNIQ' });
    const again = await as(admin).post(COMPANIES, { name: 'Unique Two', code: 'UNIQ', currency: 'EUR' });
    expectError(again, 409);
    expect(again.json().errors[0]).toMatchObject({ field: 'code' });
    const other = await newTenant(ctx, 'Code carrier');
    expect((await as(other).post(COMPANIES, { name: 'Unique Elsewhere', code: 'UNIQ', currency: 'EUR' })).statusCode).toBe(200);
  });

  it('lets exactly one of two simultaneous creations with the same code win', async () => {
    const results = await Promise.all([0, 1, 2].map((i) => as(admin).post(COMPANIES, { name: `Racer ${i}`, code: 'RACE', currency: 'EUR' })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    for (const r of results.filter((r) => r.statusCode === 409)) expectContract('ValidationErrorResponse', r.json());
    const rows = await ctx.services.db.selectFrom('companies').select('id').where('tenant_id', '=', admin.tenantId).where('code', '=', 'RACE').execute();
    expect(rows).toHaveLength(1);
  });

  it.each([
    ['no currency', { name: 'X' }, 'currency'],
    ['a lower-case currency', { name: 'X', currency: 'eur' }, 'currency'],
    ['a numeric currency', { name: 'X', currency: 978 }, 'currency'],
    ['a lower-case status', { name: 'X', currency: 'EUR', status: 'approved' }, 'status'],
    ['an unknown tax type', { name: 'X', currency: 'EUR', tax_type: 'SALES_TAX' }, 'tax_type'],
    ['a country name', { name: 'X', currency: 'EUR', billing_location: { country: 'Belgium' } }, 'country'],
    ['a bad payment term', { name: 'X', currency: 'EUR', payment_term: { code: 'NET_31' } }, 'code'],
    ['a non-boolean flag', { name: 'X', currency: 'EUR', is_customer: 'maybe' }, 'is_customer'],
    ['a too long name', { name: 'x'.repeat(256), currency: 'EUR' }, 'name'],
    ['a bad e-mail', { name: 'X', currency: 'EUR', contacts: [{ email: 'nope' }] }, 'email'],
    ['too many contacts', { name: 'X', currency: 'EUR', contacts: Array.from({ length: 201 }, () => ({ name: 'c' })) }, 'contacts'],
    ['an exponent decimal', { name: 'X', currency: 'EUR', credit_limit_total: '1e9' }, 'credit_limit_total'],
  ])('refuses %s with a 400 naming the field', async (_name, body, field) => {
    const res = await as(admin).post(COMPANIES, body);
    expectError(res, 400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('accepts decimals as JSON numbers or plain decimal strings', async () => {
    for (const limit of [2500.5, '2500.50']) {
      const res = await as(admin).post(COMPANIES, { name: `Decimal ${limit}`, currency: 'EUR', credit_limit_total: limit });
      expect(res.statusCode).toBe(200);
      expect(res.json().credit_policy).toEqual({ limit: 2500.5 });
    }
    expectError(await as(admin).post(COMPANIES, { name: 'Hex', currency: 'EUR', credit_limit_total: '0x10' }), 400);
  });

  it('refuses a company without a name or a code, and an unknown bill-to company', async () => {
    expectError(await as(admin).post(COMPANIES, { currency: 'EUR' }), 400);
    expectError(await as(admin).post(COMPANIES, { name: 'X', currency: 'EUR', default_invoice_customer_id: '00000000-0000-4000-8000-000000000000' }), 400);
  });

  it('is for TENANT clients only', async () => {
    const companyId = await newCompany(ctx, admin, { name: 'Portal shipper', code: 'PORTAL' });
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId });
    const subcontractor = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId });
    expectError(await as(customer).post(COMPANIES, { name: 'Mine', currency: 'EUR' }), 403);
    expectError(await as(subcontractor).post(COMPANIES, { name: 'Mine', currency: 'EUR' }), 403);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body', async () => {
    const body = { name: 'Idem Logistics', code: 'IDEM', currency: 'EUR' };
    const first = await as(admin).post(COMPANIES, body, { 'idempotency-key': 'idem-1' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await as(admin).post(COMPANIES, body, { 'idempotency-key': 'idem-1' });
    expect(second.statusCode).toBe(200);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    const rows = await ctx.services.db.selectFrom('companies').select('id').where('tenant_id', '=', admin.tenantId).where('code', '=', 'IDEM').execute();
    expect(rows).toHaveLength(1);
  });

  it('replays an error response too', async () => {
    const first = await as(admin).post(
      COMPANIES,
      { name: 'X', currency: 'EUR', default_invoice_customer_id: '00000000-0000-4000-8000-000000000000' },
      { 'idempotency-key': 'idem-err' },
    );
    const second = await as(admin).post(
      COMPANIES,
      { name: 'X', currency: 'EUR', default_invoice_customer_id: '00000000-0000-4000-8000-000000000000' },
      { 'idempotency-key': 'idem-err' },
    );
    expect([first.statusCode, second.statusCode]).toEqual([400, 400]);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
  });

  it('answers 409 for the same key with a different body', async () => {
    await as(admin).post(COMPANIES, { name: 'Key Owner', currency: 'EUR' }, { 'idempotency-key': 'idem-2' });
    const res = await as(admin).post(COMPANIES, { name: 'Someone Else', currency: 'EUR' }, { 'idempotency-key': 'idem-2' });
    expectError(res, 409);
  });

  it('creates once when the same request arrives several times at once', async () => {
    const body = { name: 'Concurrent Cargo', code: 'CONC', currency: 'EUR' };
    const results = await Promise.all(Array.from({ length: 6 }, () => as(admin).post(COMPANIES, body, { 'idempotency-key': 'idem-concurrent' })));
    const ok = results.filter((r) => r.statusCode === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.json().id)).size).toBe(1);
    // The rest are either replays of that one answer or "still in progress" conflicts, never a second company.
    for (const r of results.filter((r) => r.statusCode !== 200)) expectError(r, 409);
    const rows = await ctx.services.db.selectFrom('companies').select('id').where('tenant_id', '=', admin.tenantId).where('code', '=', 'CONC').execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps keys apart per client', async () => {
    const other = await newClient(ctx, admin.tenantId, 'TENANT');
    const a = await as(admin).post(COMPANIES, { name: 'Per Client A', currency: 'EUR' }, { 'idempotency-key': 'shared-key' });
    const b = await as(other).post(COMPANIES, { name: 'Per Client B', currency: 'EUR' }, { 'idempotency-key': 'shared-key' });
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(a.json().id).not.toBe(b.json().id);
  });

  it('refuses an over-long key', async () => {
    expectError(await as(admin).post(COMPANIES, { name: 'Long Key', currency: 'EUR' }, { 'idempotency-key': 'k'.repeat(256) }), 400);
  });
});

describe('GET /v1/companies/company/{id}', () => {
  it('answers 404 for another tenant company, an unknown id; 400 for a malformed id', async () => {
    const other = await newTenant(ctx, 'Isolated carrier');
    const foreign = await newCompany(ctx, other, { name: 'Foreign Freight' });
    expectError(await as(admin).get(`/v1/companies/company/${foreign}`), 404);
    expectError(await as(admin).get('/v1/companies/company/00000000-0000-4000-8000-000000000000'), 404);
    expectError(await as(admin).get('/v1/companies/company/42'), 400);
    expect((await as(other).get(`/v1/companies/company/${foreign}`)).statusCode).toBe(200);
  });

  it('shows CUSTOMER and SUBCONTRACTOR clients only their own company', async () => {
    const own = await newCompany(ctx, admin, { name: 'Own Shipper' });
    const neighbour = await newCompany(ctx, admin, { name: 'Neighbour Shipper' });
    for (const role of ['CUSTOMER', 'SUBCONTRACTOR'] as const) {
      const client = await newClient(ctx, admin.tenantId, role, { companyId: own });
      expect((await as(client).get(`/v1/companies/company/${own}`)).statusCode).toBe(200);
      expectError(await as(client).get(`/v1/companies/company/${neighbour}`), 404);
      const list = await as(client).get('/v1/companies/company?limit=500');
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([own]);
    }
  });
});

describe('GET /v1/companies/company', () => {
  let tenant: Client;
  let createdIds: string[];

  beforeAll(async () => {
    tenant = await newTenant(ctx, 'Paging carrier');
    createdIds = [];
    for (let i = 0; i < 7; i++) createdIds.push(await newCompany(ctx, tenant, { name: `Page ${i}`, code: `P${i}` }));
  });

  async function walk(query: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const res = await as(tenant).get(`/v1/companies/company?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.statusCode).toBe(200);
      expectContract('ListCompanyOutput', res.json());
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((c: { id: string }) => c.id));
      cursor = page.next_cursor;
      if (!cursor) return ids;
    }
    throw new Error('pagination did not end');
  }

  it('pages through every company once, oldest change first', async () => {
    const ids = await walk('', 3);
    expect(ids).toEqual(createdIds);
  });

  it('filters by updated_after and keeps the filter across pages', async () => {
    const all = (await as(tenant).get('/v1/companies/company?limit=500')).json().items as Array<{ id: string; timestamp_updated: string }>;
    const since = all[2]!.timestamp_updated;
    const expected = all.filter((c) => c.timestamp_updated > since).map((c) => c.id);
    expect(await walk(`&updated_after=${encodeURIComponent(since)}`, 2)).toEqual(expected);
    // An offset other than Z means the same instant.
    const shifted = new Date(Date.parse(since)).toISOString().replace('Z', '+00:00');
    expect(await walk(`&updated_after=${encodeURIComponent(shifted)}`, 500)).toEqual(expected);
  });

  it('accepts a cursor alone or with the same filter, and refuses a different filter', async () => {
    const since = '2000-01-01T00:00:00Z';
    const first = (await as(tenant).get(`/v1/companies/company?limit=2&updated_after=${since}`)).json();
    const cursor = encodeURIComponent(first.next_cursor);
    expect((await as(tenant).get(`/v1/companies/company?cursor=${cursor}&limit=2`)).statusCode).toBe(200);
    expect((await as(tenant).get(`/v1/companies/company?cursor=${cursor}&limit=2&updated_after=${since}`)).statusCode).toBe(200);
    expectError(await as(tenant).get(`/v1/companies/company?cursor=${cursor}&updated_after=2020-01-01T00:00:00Z`), 400);
  });

  it.each([
    ['a garbage cursor', 'cursor=not-a-cursor'],
    ['a cursor of the wrong shape', `cursor=${Buffer.from(JSON.stringify({ filters: {}, after: { ts: 'yesterday', id: 'x' } })).toString('base64url')}`],
    ['an updated_after without offset', 'updated_after=2024-01-01T10:00:00'],
    ['an updated_after that is not a date', 'updated_after=yesterday'],
    ['a limit of 0', 'limit=0'],
    ['a limit above 500', 'limit=501'],
  ])('refuses %s with 400', async (_name, query) => {
    expectError(await as(tenant).get(`/v1/companies/company?${query}`), 400);
  });

  it('does not show another tenant companies', async () => {
    const ids = await walk('', 500);
    const foreign = await ctx.services.db.selectFrom('companies').select('id').where('tenant_id', '!=', tenant.tenantId).execute();
    expect(foreign.length).toBeGreaterThan(0);
    for (const { id } of foreign) expect(ids).not.toContain(id);
  });
});

describe('domain events', () => {
  it('numbers each tenant events 1, 2, 3... without gaps, one per state change', async () => {
    const tenant = await newTenant(ctx, 'Event carrier');
    for (let i = 0; i < 4; i++) await newCompany(ctx, tenant, { name: `Evented ${i}` });
    await Promise.all([0, 1, 2].map((i) => as(tenant).post(COMPANIES, { name: `Parallel ${i}`, currency: 'EUR' })));
    const events = await ctx.services.db
      .selectFrom('events')
      .select(['position', 'type'])
      .where('tenant_id', '=', tenant.tenantId)
      .orderBy('position')
      .execute();
    expect(events.map((e) => e.position)).toEqual(events.map((_e, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(['tenant.created', 'api_client.created', ...Array(7).fill('company.created')]);
  });
});
