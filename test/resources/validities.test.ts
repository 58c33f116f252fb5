import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { as } from '../support/requests.js';

const ctx = useApp();
let admin: Client;
let truck: string;
let subco: string;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Compliance carrier');
  truck = (await as(admin).post('/v1/resources/resource', { name: 'Checked truck', truck: {} })).json().row_id;
  subco = await newCompany(ctx, admin, { name: 'Insured haulier', is_subcontractor: true });
});

const PARENTS = [
  ['resource', () => `/v1/resources/resource/${truck}/validity`, 'ResourceValidityOutput', 'ListResourceValidityOutput', 'VEHICLE_MOT_TEST', 'CMR_INSURANCE'],
  ['company', () => `/v1/companies/company/${subco}/validity`, 'CompanyValidityOutput', 'ListCompanyValidityOutput', 'CMR_INSURANCE', 'VEHICLE_MOT_TEST'],
] as const;

describe.each(PARENTS)('%s validities', (_parent, base, outputSchema, listSchema, type, foreignType) => {
  it('are created, listed, read, replaced and deleted in the contract shape', async () => {
    const created = await as(admin).post(base(), { start_time: '2026-01-01T00:00:00Z', end_time: '2027-01-01T00:00:00Z', type, external_id: 'CERT-1' });
    expect(created.statusCode, created.body).toBe(200);
    expectContract(outputSchema, created.json());
    const url = `${base()}/${created.json().id}`;
    const list = await as(admin).get(base());
    expectContract(listSchema, list.json());
    expect(list.json().items.map((v: { id: string }) => v.id)).toEqual([created.json().id]);
    expect((await as(admin).get(url)).json()).toEqual(created.json());
    const replaced = await as(admin).put(url, { start_time: '2026-02-01T00:00:00Z', type, generate_unavailability: true });
    expectContract(outputSchema, replaced.json());
    expect(replaced.json()).toMatchObject({ end_time: null, external_id: null, generate_unavailability: true });
    expect((await as(admin).delete(url)).statusCode).toBe(204);
    expectError(await as(admin).get(url), 404);
  });

  it('refuses bad input with the 400 envelope', async () => {
    expectError(await as(admin).post(base(), { start_time: '2026-01-02T00:00:00Z', end_time: '2026-01-01T00:00:00Z', type }), 400);
    expectError(await as(admin).post(base(), { start_time: '2026-01-01T00:00:00Z', type: foreignType }), 400);
    expectError(await as(admin).post(base(), { type }), 400);
    expectError(
      await as(admin).post(base(), { start_time: '2026-01-01T00:00:00Z', type, documents: [{ upload_id: '00000000-0000-4000-8000-000000000000' }] }),
      400,
    );
  });

  it("is the tenant's alone and for TENANT clients only", async () => {
    const other = await newTenant(ctx, `Other ${type}`);
    expectError(await as(other).get(base()), 404);
    expectError(await as(other).post(base(), { start_time: '2026-01-01T00:00:00Z', type }), 404);
    const customer = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subco });
    expectError(await as(customer).get(base()), 403);
  });
});
