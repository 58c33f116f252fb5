import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, useApp, type Client } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { as } from '../support/requests.js';

const ctx = useApp();
let admin: Client;
let other: Client;
let acme: string;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Search carrier');
  other = await newTenant(ctx, 'Other carrier');
  acme = await newCompany(ctx, admin, { name: 'Acme Foods', code: 'ACME', accounting_code: 'C-100' });
  await newCompany(ctx, admin, { name: 'Brico 50% Outlet', code: 'BRICO', accounting_code: 'C-200' });
  await newCompany(ctx, admin, { name: 'Swift Haulage', code: 'SWIFT', is_customer: false, is_subcontractor: true });
  await newCompany(ctx, other, { name: 'Acme Elsewhere', code: 'ACME' });
});

async function names(client: Client, query: string): Promise<string[]> {
  const res = await as(client).get(`/v1/companies/company?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  expectContract('ListCompanyOutput', res.json());
  return (res.json().items as Array<{ name: string }>).map((c) => c.name).sort();
}

describe('company list search and role', () => {
  it('finds by name, code or accounting code, ignoring case, within the tenant only', async () => {
    expect(await names(admin, 'q=acme')).toEqual(['Acme Foods']);
    expect(await names(admin, 'q=swi')).toEqual(['Swift Haulage']);
    expect(await names(admin, 'q=c-2')).toEqual(['Brico 50% Outlet']);
    expect(await names(other, 'q=acme')).toEqual(['Acme Elsewhere']);
  });

  it('matches % and _ as themselves, not as patterns', async () => {
    expect(await names(admin, `q=${encodeURIComponent('50%')}`)).toEqual(['Brico 50% Outlet']);
    expect(await names(admin, `q=${encodeURIComponent('%')}`)).toEqual(['Brico 50% Outlet']);
    expect(await names(admin, 'q=_')).toEqual([]);
  });

  it('filters by role, and both filters combine', async () => {
    expect(await names(admin, 'role=subcontractor')).toEqual(['Swift Haulage']);
    expect(await names(admin, 'role=customer')).toEqual(['Acme Foods', 'Brico 50% Outlet']);
    expect(await names(admin, 'role=customer&q=swift')).toEqual([]);
  });

  it('keeps the filters in the cursor', async () => {
    const first = await as(admin).get('/v1/companies/company?role=customer&limit=1');
    const cursor = first.json().next_cursor as string;
    expect(cursor).toBeTruthy();
    const second = await as(admin).get(`/v1/companies/company?cursor=${cursor}`);
    expect(second.statusCode).toBe(200);
    const seen = [...first.json().items, ...second.json().items].map((c: { name: string }) => c.name).sort();
    expect(seen).toEqual(['Acme Foods', 'Brico 50% Outlet']);
    expect(second.json().next_cursor).toBeNull();
    // A different filter beside the cursor is refused, not silently obeyed.
    expectError(await as(admin).get(`/v1/companies/company?cursor=${cursor}&role=subcontractor`), 400);
  });

  it('refuses an unknown role and an empty or overlong search', async () => {
    expectError(await as(admin).get('/v1/companies/company?role=owner'), 400);
    expectError(await as(admin).get('/v1/companies/company?q='), 400);
    expectError(await as(admin).get(`/v1/companies/company?q=${'x'.repeat(101)}`), 400);
  });

  it('shows a customer client only its own company, whatever it searches', async () => {
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acme });
    expect(await names(customer, 'q=a')).toEqual(['Acme Foods']);
    expect(await names(customer, 'q=brico')).toEqual([]);
  });
});
