import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { as } from '../support/requests.js';

const ctx = useApp();
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Bulk fleet');
});

const BULK = '/v1/resources/bulk';

describe('POST /v1/resources/bulk', () => {
  it('creates the valid records in one go and answers each at its index', async () => {
    expect((await as(admin).post('/v1/resources/resource', { name: 'Old truck', external_id: 'TAKEN', truck: {} })).statusCode).toBe(200);
    const records = [
      { name: 'Truck 1', external_id: 'B-1', truck: {} },
      { name: 'Two at once', tractor: {}, trailer: {} },
      { name: 'Dana', external_id: 'B-2', driver: { first_name: 'Dana' } },
      { name: 'Same id again', external_id: 'B-1', van: {} },
      { name: 'Clash with an older one', external_id: 'TAKEN', van: {} },
    ];
    const res = await as(admin).post(BULK, { records });
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json().results as Array<{ index: number; status: number; record?: { row_id: string; timestamp_updated: string }; error?: object }>;
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 200],
      [1, 400],
      [2, 200],
      [3, 409],
      [4, 409],
    ]);
    expectContract('TruckResourceOutput', results[0]?.record);
    expectContract('DriverResourceOutput', results[2]?.record);
    for (const r of results.filter((x) => x.status !== 200)) expectContract('ValidationErrorResponse', r.error);

    const listed = await as(admin).get('/v1/resources/resource?external_id:in=B-1,B-2');
    expect(
      listed
        .json()
        .items.map((r: { name: string }) => r.name)
        .sort(),
    ).toEqual(['Dana', 'Truck 1']);
    for (const r of [results[0], results[2]]) {
      expect((await as(admin).get(`/v1/resources/resource/${r?.record?.row_id}`)).json().timestamp_updated).toBe(r?.record?.timestamp_updated);
    }
    const events = (await as(admin).get('/v1/events?types=resource.created')).json().items as Array<{ entity_id: string }>;
    expect(events.map((e) => e.entity_id)).toEqual(expect.arrayContaining([results[0]?.record?.row_id, results[2]?.record?.row_id]));
  });

  it('keeps other tenants and non-TENANT clients out, and refuses empty or oversized batches', async () => {
    const other = await newTenant(ctx, 'Other bulk fleet');
    const subco = await newCompany(ctx, admin, { name: 'Haulier', is_subcontractor: true });
    const foreign = await as(other).post(BULK, { records: [{ name: 'Borrowed', truck: {}, subcontractor: { row_id: subco } }] });
    expect(foreign.json().results[0].status).toBe(400);
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: await newCompany(ctx, admin, { name: 'Shipper' }) });
    expect((await as(customer).post(BULK, { records: [{ name: 'X', van: {} }] })).statusCode).toBe(403);
    const empty = await as(admin).post(BULK, { records: [] });
    expect(empty.statusCode).toBe(400);
    expectContract('ValidationErrorResponse', empty.json());
    const tooMany = await as(admin).post(BULK, { records: Array.from({ length: 501 }, (_, i) => ({ name: `V${i}`, van: {} })) });
    expect(tooMany.statusCode).toBe(400);
  });
});
