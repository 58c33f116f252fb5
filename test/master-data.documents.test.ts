import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, stageUpload, type Client, type TestContext } from './support/app.js';
import { expectContract } from './support/contract.js';

let ctx: TestContext;
let admin: Client;
let subco: string;
let driver: string;

type Res = Awaited<ReturnType<TestContext['app']['inject']>>;
const call = (client: Client, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  ctx.app.inject({ method, url, headers: { authorization: client.auth }, ...(payload ? { payload } : {}) });

function expectError(res: Res, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  expectContract('ValidationErrorResponse', res.json());
}

const stage = (client: Client, content: string) => stageUpload(ctx, client, content);

/** The tenant's events of these types, oldest first, through the pull feed. */
async function events(client: Client, types: string) {
  const res = await call(client, 'GET', `/v1/events?types=${types}&limit=1000`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Array<{ type: string; entity_id: string; payload: { record: Record<string, unknown> } }>;
}

const download = (client: Client, id: string) => ctx.app.inject({ url: `/v1/documents/document/${id}/download`, headers: { authorization: client.auth } });

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Paperwork carrier');
  subco = await newCompany(ctx, admin, { name: 'Insured haulier', is_subcontractor: true });
  driver = (await call(admin, 'POST', '/v1/resources/resource', { name: 'Dana', driver: { first_name: 'Dana' } })).json().row_id;
});
afterAll(() => ctx.close());

describe('company documents', () => {
  const base = () => `/v1/companies/company/${subco}/documents`;

  it('attach a staged upload with the validity it proves, listed under the company and the validity', async () => {
    const uploadId = await stage(admin, 'cmr insurance');
    const validity = { start_time: '2026-01-01T00:00:00Z', end_time: '2027-01-01T00:00:00Z', type: 'CMR_INSURANCE', external_id: 'CMR-26' };
    const created = await call(admin, 'POST', base(), { upload_id: uploadId, document_type: 'CMR_INSURANCE', name: 'CMR insurance 2026', validity });
    expect(created.statusCode, created.body).toBe(200);
    expectContract('CompanyDocumentOutput', created.json());
    expect(created.json()).toMatchObject({ name: 'CMR insurance 2026', type: 'CMR_INSURANCE', subject_type: 'COMPANY', validity: { type: 'CMR_INSURANCE', external_id: 'CMR-26' } });
    const validityId = created.json().validity.id;

    const plain = await call(admin, 'POST', base(), { upload_id: await stage(admin, 'bank details'), document_type: 'BANK_DETAILS', name: 'Bank letter' });
    expect(plain.json().validity).toBeNull();
    // The same upload again (a retry) is the same document, with no second validity.
    const again = await call(admin, 'POST', base(), { upload_id: uploadId, document_type: 'CMR_INSURANCE', name: 'again', validity });
    expect(again.json()).toEqual(created.json());

    const first = await call(admin, 'GET', `${base()}?limit=1`);
    expectContract('ListCompanyDocumentOutput', first.json());
    const second = await call(admin, 'GET', `${base()}?cursor=${first.json().next_cursor}`);
    expect([...first.json().items, ...second.json().items].map((d: { id: string }) => d.id)).toEqual([created.json().id, plain.json().id]);
    expect(second.json().next_cursor).toBeNull();

    const validities = await call(admin, 'GET', `/v1/companies/company/${subco}/validity`);
    expect(validities.json().items.map((v: { id: string }) => v.id)).toEqual([validityId]);
    const proving = await call(admin, 'GET', `/v1/companies/company/${subco}/validity/${validityId}/documents`);
    expect(proving.statusCode, proving.body).toBe(200);
    for (const doc of proving.json()) expectContract('Document', doc);
    expect(proving.json().map((d: { id: string }) => d.id)).toEqual([created.json().id]);

    const file = await download(admin, created.json().id);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('cmr insurance');
  });

  it("are the tenant's paperwork: other tenants, the company's own clients and foreign uploads get nowhere", async () => {
    const created = await call(admin, 'POST', base(), { upload_id: await stage(admin, 'licence'), document_type: 'SUBCONTRACTOR_LICENSE', name: 'Licence' });
    expect(created.statusCode, created.body).toBe(200);
    const other = await newTenant(ctx, 'Nosy carrier');
    expectError(await call(other, 'GET', base()), 404);
    expectError(await call(other, 'POST', base(), { upload_id: await stage(other, 'x'), document_type: 'OTHER', name: 'x' }), 404);
    expectError(await download(other, created.json().id), 404);
    const own = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subco });
    expectError(await call(own, 'GET', base()), 403);
    expectError(await download(own, created.json().id), 404);
    // An upload another tenant staged is unknown here.
    expectError(await call(admin, 'POST', base(), { upload_id: await stage(other, 'theirs'), document_type: 'OTHER', name: 'theirs' }), 400);
  });

  it('refuse bad input with the 400 envelope', async () => {
    const uploadId = await stage(admin, 'x');
    expectError(await call(admin, 'POST', base(), { upload_id: uploadId, document_type: 'NOT_A_TYPE', name: 'x' }), 400);
    expectError(await call(admin, 'POST', base(), { upload_id: uploadId, document_type: 'OTHER' }), 400);
    expectError(await call(admin, 'POST', base(), { upload_id: '00000000-0000-4000-8000-000000000000', document_type: 'OTHER', name: 'x' }), 400);
    const badValidity = { start_time: '2026-02-01T00:00:00Z', end_time: '2026-01-01T00:00:00Z', type: 'CMR_INSURANCE' };
    expectError(await call(admin, 'POST', base(), { upload_id: uploadId, document_type: 'OTHER', name: 'x', validity: badValidity }), 400);
  });
});

describe('resource validity documents', () => {
  it('are attached with the validity, in either spelling of the type, and listed in the contract shape', async () => {
    const validities = `/v1/resources/resource/${driver}/validity`;
    const documents = [
      { upload_id: await stage(admin, 'licence front'), document_type: 'DocumentType.DRIVER_DRIVING_LICENSE', name: 'Licence front' },
      { upload_id: await stage(admin, 'licence back'), document_type: 'DRIVER_DRIVING_LICENSE', name: 'Licence back' },
    ];
    const created = await call(admin, 'POST', validities, { start_time: '2026-01-01T00:00:00Z', type: 'DRIVER_DRIVING_LICENSE', documents });
    expect(created.statusCode, created.body).toBe(200);
    const url = `${validities}/${created.json().id}/documents`;
    const list = await call(admin, 'GET', url);
    expect(list.statusCode, list.body).toBe(200);
    for (const doc of list.json()) expectContract('Document', doc);
    // Attached in one transaction, they share a creation time: their order among themselves is not defined.
    expect(list.json().map((d: { name: string; type: string }) => [d.name, d.type]).sort()).toEqual([
      ['Licence back', 'DRIVER_DRIVING_LICENSE'],
      ['Licence front', 'DRIVER_DRIVING_LICENSE'],
    ]);
    // Sending them again with a PUT attaches nothing new.
    await call(admin, 'PUT', `${validities}/${created.json().id}`, { start_time: '2026-01-01T00:00:00Z', type: 'DRIVER_DRIVING_LICENSE', documents });
    expect((await call(admin, 'GET', url)).json()).toHaveLength(2);

    const other = await newTenant(ctx, 'Other fleet');
    expectError(await call(other, 'GET', url), 404);
    expectError(await download(other, list.json()[0].id), 404);
    expectError(await call(admin, 'GET', `${validities}/00000000-0000-4000-8000-000000000000/documents`), 404);
    const unknownType = [{ ...documents[0], document_type: 'CMR_INSURANCE' }];
    expectError(await call(admin, 'POST', validities, { start_time: '2026-01-01T00:00:00Z', type: 'DRIVER_DRIVING_LICENSE', documents: unknownType }), 400);
  });
});

describe('generate_unavailability', () => {
  const periods = async () => (await call(admin, 'GET', `/v1/resources/resource/${driver}/unavailability`)).json().items as Array<Record<string, unknown>>;

  it('makes, moves and removes an open-ended unavailability from the end of the validity, with events for both', async () => {
    const validities = `/v1/resources/resource/${driver}/validity`;
    const body = { start_time: '2026-01-01T00:00:00Z', end_time: '2026-06-01T00:00:00Z', type: 'DRIVER_MEDICAL_EXAM', generate_unavailability: true };
    const created = await call(admin, 'POST', validities, body);
    expect(created.statusCode, created.body).toBe(200);
    const url = `${validities}/${created.json().id}`;
    const [made, ...more] = await periods();
    expect(more).toEqual([]);
    expectContract('ResourceUnavailabilityOutput', made);
    expect(made).toMatchObject({ start_time: '2026-06-01T00:00:00.000Z', end_time: null, reason: 'DRIVER_MEDICAL_EXAM' });

    await call(admin, 'PUT', url, { ...body, end_time: '2026-09-01T00:00:00Z' });
    expect(await periods()).toEqual([expect.objectContaining({ id: made?.id, start_time: '2026-09-01T00:00:00.000Z' })]);
    await call(admin, 'PUT', url, { ...body, generate_unavailability: false });
    expect(await periods()).toEqual([]);
    await call(admin, 'PUT', url, { ...body, type: 'DRIVER_CODE_95' });
    const [again] = await periods();
    expect(again).toMatchObject({ start_time: '2026-06-01T00:00:00.000Z', reason: 'DRIVER_OTHER' });
    expect((await call(admin, 'DELETE', url)).statusCode).toBe(204);
    expect(await periods()).toEqual([]);

    const mine = new Set([created.json().id, made?.id, again?.id]);
    const seen = (await events(admin, 'validity.*,unavailability.*')).filter((e) => mine.has(e.entity_id)).map((e) => `${e.type} ${e.entity_id}`);
    expect(seen).toEqual([
      `unavailability.created ${made?.id}`, `validity.created ${created.json().id}`,
      `unavailability.updated ${made?.id}`, `validity.updated ${created.json().id}`,
      `unavailability.deleted ${made?.id}`, `validity.updated ${created.json().id}`,
      `unavailability.created ${again?.id}`, `validity.updated ${created.json().id}`,
      `unavailability.deleted ${again?.id}`, `validity.deleted ${created.json().id}`,
    ]);
  });

  it('generates nothing for a validity without an end, nor on a company', async () => {
    const open = await call(admin, 'POST', `/v1/resources/resource/${driver}/validity`, { start_time: '2026-01-01T00:00:00Z', type: 'DRIVER_CARD', generate_unavailability: true });
    expect(open.statusCode, open.body).toBe(200);
    const company = await call(admin, 'POST', `/v1/companies/company/${subco}/validity`, { start_time: '2026-01-01T00:00:00Z', end_time: '2026-02-01T00:00:00Z', type: 'FINE', generate_unavailability: true });
    expect(company.statusCode, company.body).toBe(200);
    expect(await periods()).toEqual([]);
  });
});
