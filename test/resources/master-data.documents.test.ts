import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, stageUpload, type Client, useApp } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { as } from '../support/requests.js';

const ctx = useApp();
let admin: Client;
let subco: string;
let driver: string;

const stage = (client: Client, content: string) => stageUpload(ctx, client, content);

/** The tenant's events of these types, oldest first, through the pull feed. */
async function events(client: Client, types: string) {
  const res = await as(client).get(`/v1/events?types=${types}&limit=1000`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Array<{ type: string; entity_id: string; payload: { record: Record<string, unknown> } }>;
}

const download = (client: Client, id: string) => ctx.app.inject({ url: `/v1/documents/document/${id}/download`, headers: { authorization: client.auth } });

beforeAll(async () => {
  admin = await newTenant(ctx, 'Paperwork carrier');
  subco = await newCompany(ctx, admin, { name: 'Insured haulier', is_subcontractor: true });
  driver = (await as(admin).post('/v1/resources/resource', { name: 'Dana', driver: { first_name: 'Dana' } })).json().row_id;
});

describe('company documents', () => {
  const base = () => `/v1/companies/company/${subco}/documents`;

  it('attach a staged upload with the validity it proves, listed under the company and the validity', async () => {
    const uploadId = await stage(admin, 'cmr insurance');
    const validity = { start_time: '2026-01-01T00:00:00Z', end_time: '2027-01-01T00:00:00Z', type: 'CMR_INSURANCE', external_id: 'CMR-26' };
    const created = await as(admin).post(base(), { upload_id: uploadId, document_type: 'CMR_INSURANCE', name: 'CMR insurance 2026', validity });
    expect(created.statusCode, created.body).toBe(200);
    expectContract('CompanyDocumentOutput', created.json());
    expect(created.json()).toMatchObject({
      name: 'CMR insurance 2026',
      type: 'CMR_INSURANCE',
      subject_type: 'COMPANY',
      validity: { type: 'CMR_INSURANCE', external_id: 'CMR-26' },
    });
    const validityId = created.json().validity.id;

    const plain = await as(admin).post(base(), { upload_id: await stage(admin, 'bank details'), document_type: 'BANK_DETAILS', name: 'Bank letter' });
    expect(plain.json().validity).toBeNull();
    // The same upload again (a retry) is the same document, with no second validity.
    const again = await as(admin).post(base(), { upload_id: uploadId, document_type: 'CMR_INSURANCE', name: 'again', validity });
    expect(again.json()).toEqual(created.json());

    const first = await as(admin).get(`${base()}?limit=1`);
    expectContract('ListCompanyDocumentOutput', first.json());
    const second = await as(admin).get(`${base()}?cursor=${first.json().next_cursor}`);
    expect([...first.json().items, ...second.json().items].map((d: { id: string }) => d.id)).toEqual([created.json().id, plain.json().id]);
    expect(second.json().next_cursor).toBeNull();

    const validities = await as(admin).get(`/v1/companies/company/${subco}/validity`);
    expect(validities.json().items.map((v: { id: string }) => v.id)).toEqual([validityId]);
    const proving = await as(admin).get(`/v1/companies/company/${subco}/validity/${validityId}/documents`);
    expect(proving.statusCode, proving.body).toBe(200);
    for (const doc of proving.json()) expectContract('Document', doc);
    expect(proving.json().map((d: { id: string }) => d.id)).toEqual([created.json().id]);

    const file = await download(admin, created.json().id);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('cmr insurance');
  });

  it("are the tenant's paperwork: other tenants, the company's own clients and foreign uploads get nowhere", async () => {
    const created = await as(admin).post(base(), { upload_id: await stage(admin, 'licence'), document_type: 'SUBCONTRACTOR_LICENSE', name: 'Licence' });
    expect(created.statusCode, created.body).toBe(200);
    const other = await newTenant(ctx, 'Nosy carrier');
    expectError(await as(other).get(base()), 404);
    expectError(await as(other).post(base(), { upload_id: await stage(other, 'x'), document_type: 'OTHER', name: 'x' }), 404);
    expectError(await download(other, created.json().id), 404);
    const own = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subco });
    expectError(await as(own).get(base()), 403);
    expectError(await download(own, created.json().id), 404);
    // An upload another tenant staged is unknown here.
    expectError(await as(admin).post(base(), { upload_id: await stage(other, 'theirs'), document_type: 'OTHER', name: 'theirs' }), 400);
  });

  it('refuse bad input with the 400 envelope', async () => {
    const uploadId = await stage(admin, 'x');
    expectError(await as(admin).post(base(), { upload_id: uploadId, document_type: 'NOT_A_TYPE', name: 'x' }), 400);
    expectError(await as(admin).post(base(), { upload_id: uploadId, document_type: 'OTHER' }), 400);
    expectError(await as(admin).post(base(), { upload_id: '00000000-0000-4000-8000-000000000000', document_type: 'OTHER', name: 'x' }), 400);
    const badValidity = { start_time: '2026-02-01T00:00:00Z', end_time: '2026-01-01T00:00:00Z', type: 'CMR_INSURANCE' };
    expectError(await as(admin).post(base(), { upload_id: uploadId, document_type: 'OTHER', name: 'x', validity: badValidity }), 400);
  });
});

describe('resource validity documents', () => {
  it('are attached with the validity, in either spelling of the type, and listed in the contract shape', async () => {
    const validities = `/v1/resources/resource/${driver}/validity`;
    const documents = [
      { upload_id: await stage(admin, 'licence front'), document_type: 'DocumentType.DRIVER_DRIVING_LICENSE', name: 'Licence front' },
      { upload_id: await stage(admin, 'licence back'), document_type: 'DRIVER_DRIVING_LICENSE', name: 'Licence back' },
    ];
    const created = await as(admin).post(validities, { start_time: '2026-01-01T00:00:00Z', type: 'DRIVER_DRIVING_LICENSE', documents });
    expect(created.statusCode, created.body).toBe(200);
    const url = `${validities}/${created.json().id}/documents`;
    const list = await as(admin).get(url);
    expect(list.statusCode, list.body).toBe(200);
    for (const doc of list.json()) expectContract('Document', doc);
    // Attached in one transaction, they share a creation time: their order among themselves is not defined.
    expect(
      list
        .json()
        .map((d: { name: string; type: string }) => [d.name, d.type])
        .sort(),
    ).toEqual([
      ['Licence back', 'DRIVER_DRIVING_LICENSE'],
      ['Licence front', 'DRIVER_DRIVING_LICENSE'],
    ]);
    // Sending them again with a PUT attaches nothing new.
    await as(admin).put(`${validities}/${created.json().id}`, { start_time: '2026-01-01T00:00:00Z', type: 'DRIVER_DRIVING_LICENSE', documents });
    expect((await as(admin).get(url)).json()).toHaveLength(2);

    const other = await newTenant(ctx, 'Other fleet');
    expectError(await as(other).get(url), 404);
    expectError(await download(other, list.json()[0].id), 404);
    expectError(await as(admin).get(`${validities}/00000000-0000-4000-8000-000000000000/documents`), 404);
    const unknownType = [{ ...documents[0], document_type: 'CMR_INSURANCE' }];
    expectError(await as(admin).post(validities, { start_time: '2026-01-01T00:00:00Z', type: 'DRIVER_DRIVING_LICENSE', documents: unknownType }), 400);
  });
});

describe('generate_unavailability', () => {
  const periods = async () => (await as(admin).get(`/v1/resources/resource/${driver}/unavailability`)).json().items as Array<Record<string, unknown>>;

  it('makes, moves and removes an open-ended unavailability from the end of the validity, with events for both', async () => {
    const validities = `/v1/resources/resource/${driver}/validity`;
    const body = { start_time: '2026-01-01T00:00:00Z', end_time: '2026-06-01T00:00:00Z', type: 'DRIVER_MEDICAL_EXAM', generate_unavailability: true };
    const created = await as(admin).post(validities, body);
    expect(created.statusCode, created.body).toBe(200);
    const url = `${validities}/${created.json().id}`;
    const [made, ...more] = await periods();
    expect(more).toEqual([]);
    expectContract('ResourceUnavailabilityOutput', made);
    expect(made).toMatchObject({ start_time: '2026-06-01T00:00:00.000Z', end_time: null, reason: 'DRIVER_MEDICAL_EXAM' });

    await as(admin).put(url, { ...body, end_time: '2026-09-01T00:00:00Z' });
    expect(await periods()).toEqual([expect.objectContaining({ id: made?.id, start_time: '2026-09-01T00:00:00.000Z' })]);
    await as(admin).put(url, { ...body, generate_unavailability: false });
    expect(await periods()).toEqual([]);
    await as(admin).put(url, { ...body, type: 'DRIVER_CODE_95' });
    const [again] = await periods();
    expect(again).toMatchObject({ start_time: '2026-06-01T00:00:00.000Z', reason: 'DRIVER_OTHER' });
    expect((await as(admin).delete(url)).statusCode).toBe(204);
    expect(await periods()).toEqual([]);

    const mine = new Set([created.json().id, made?.id, again?.id]);
    const seen = (await events(admin, 'validity.*,unavailability.*')).filter((e) => mine.has(e.entity_id)).map((e) => `${e.type} ${e.entity_id}`);
    expect(seen).toEqual([
      `unavailability.created ${made?.id}`,
      `validity.created ${created.json().id}`,
      `unavailability.updated ${made?.id}`,
      `validity.updated ${created.json().id}`,
      `unavailability.deleted ${made?.id}`,
      `validity.updated ${created.json().id}`,
      `unavailability.created ${again?.id}`,
      `validity.updated ${created.json().id}`,
      `unavailability.deleted ${again?.id}`,
      `validity.deleted ${created.json().id}`,
    ]);
  });

  it('generates nothing for a validity without an end, nor on a company', async () => {
    const open = await as(admin).post(`/v1/resources/resource/${driver}/validity`, {
      start_time: '2026-01-01T00:00:00Z',
      type: 'DRIVER_CARD',
      generate_unavailability: true,
    });
    expect(open.statusCode, open.body).toBe(200);
    const company = await as(admin).post(`/v1/companies/company/${subco}/validity`, {
      start_time: '2026-01-01T00:00:00Z',
      end_time: '2026-02-01T00:00:00Z',
      type: 'FINE',
      generate_unavailability: true,
    });
    expect(company.statusCode, company.body).toBe(200);
    expect(await periods()).toEqual([]);
  });
});
