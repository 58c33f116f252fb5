import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, useApp, type Client } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { as } from '../support/requests.js';

const ctx = useApp();
let admin: Client;
let other: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Fleet search carrier');
  other = await newTenant(ctx, 'Other fleet');
  const create = async (client: Client, body: Record<string, unknown>) => {
    const res = await as(client).post('/v1/resources/resource', body);
    if (res.statusCode !== 200) throw new Error(res.body);
  };
  await create(admin, { name: 'Dana Smith', external_id: 'HR-7', driver: { first_name: 'Dana' } });
  await create(admin, { name: 'Volvo FH', code: 'T-12', truck: { license_plate: '1-ABC-123' } });
  await create(admin, { name: 'Krone 100%', trailer: {} });
  await create(other, { name: 'Dana Elsewhere', driver: {} });
});

async function names(client: Client, query: string): Promise<string[]> {
  const res = await as(client).get(`/v1/resources/resource?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as Array<{ name: string }>).map((r) => r.name).sort();
}

describe('resource list search', () => {
  it('finds by name, code, external id or licence plate, ignoring case, within the tenant only', async () => {
    expect(await names(admin, 'q=dana')).toEqual(['Dana Smith']);
    expect(await names(admin, 'q=t-1')).toEqual(['Volvo FH']);
    expect(await names(admin, 'q=hr-7')).toEqual(['Dana Smith']);
    expect(await names(admin, 'q=abc-1')).toEqual(['Volvo FH']);
    expect(await names(other, 'q=dana')).toEqual(['Dana Elsewhere']);
  });

  it('matches % literally and combines with the type filter and the cursor', async () => {
    expect(await names(admin, `q=${encodeURIComponent('0%')}`)).toEqual(['Krone 100%']);
    expect(await names(admin, 'q=o&resource_type=RIGID')).toEqual(['Volvo FH']);
    const first = await as(admin).get('/v1/resources/resource?q=o&limit=1');
    const second = await as(admin).get(`/v1/resources/resource?cursor=${first.json().next_cursor as string}`);
    const seen = [...first.json().items, ...second.json().items].map((r: { name: string }) => r.name).sort();
    expect(seen).toEqual(['Krone 100%', 'Volvo FH']);
  });

  it('refuses an empty search, and non-tenant clients', async () => {
    expectError(await as(admin).get('/v1/resources/resource?q='), 400);
    const company = await newCompany(ctx, admin, { name: 'Customer', code: 'CUST' });
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: company });
    expectError(await as(customer).get('/v1/resources/resource?q=dana'), 403);
  });
});
