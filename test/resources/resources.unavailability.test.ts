import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { as, type Answer as Res } from '../support/requests.js';

const ctx = useApp();
let admin: Client;
let driver: string;
let truck: string;

async function newResource(client: Client, body: object): Promise<string> {
  const res = await as(client).post('/v1/resources/resource', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().row_id;
}

const periods = (resourceId: string) => `/v1/resources/resource/${resourceId}/unavailability`;

function expectPeriod(res: Res) {
  expect(res.statusCode, res.body).toBe(200);
  expectContract('ResourceUnavailabilityOutput', res.json());
  return res.json();
}

beforeAll(async () => {
  admin = await newTenant(ctx, 'Availability carrier');
  driver = await newResource(admin, { name: 'Dana', driver: {} });
  truck = await newResource(admin, { name: 'Truck 7', truck: {} });
});

describe('unavailability of one resource', () => {
  it('is created, read, replaced and deleted; deleted periods are gone for good', async () => {
    const created = expectPeriod(
      await as(admin).post(periods(driver), {
        start_time: '2026-12-24T00:00:00+01:00',
        end_time: '2026-12-27T00:00:00+01:00',
        reason: 'DRIVER_HOLIDAY',
        external_id: 'HR-1',
      }),
    );
    expect(created).toMatchObject({
      start_time: '2026-12-23T23:00:00.000Z',
      end_time: '2026-12-26T23:00:00.000Z',
      reason: 'DRIVER_HOLIDAY',
      external_id: 'HR-1',
    });
    const url = `${periods(driver)}/${created.id}`;
    expect(expectPeriod(await as(admin).get(url))).toEqual(created);

    const replaced = expectPeriod(await as(admin).put(url, { start_time: '2026-12-24T00:00:00Z', reason: 'DRIVER_SICKNESS' }));
    expect(replaced).toMatchObject({ id: created.id, end_time: null, reason: 'DRIVER_SICKNESS', external_id: null });

    expect((await as(admin).delete(url)).statusCode).toBe(204);
    expectError(await as(admin).get(url), 404);
    expectError(await as(admin).put(url, { start_time: '2026-12-24T00:00:00Z', reason: 'DRIVER_OTHER' }), 404);
    expectError(await as(admin).delete(url), 404);
  });

  it.each([
    ['an end before the start', { start_time: '2026-12-24T10:00:00Z', end_time: '2026-12-24T09:00:00Z', reason: 'DRIVER_OTHER' }, 'end_time'],
    ['an end equal to the start', { start_time: '2026-12-24T10:00:00Z', end_time: '2026-12-24T10:00:00Z', reason: 'DRIVER_OTHER' }, 'end_time'],
    ['an unknown reason', { start_time: '2026-12-24T10:00:00Z', reason: 'DRIVER_NAP' }, 'reason'],
    ['a vehicle reason for a driver', { start_time: '2026-12-24T10:00:00Z', reason: 'VEHICLE_REPAIR' }, 'reason'],
    ['a time without offset', { start_time: '2026-12-24T10:00:00', reason: 'DRIVER_OTHER' }, 'start_time'],
    ['no start', { reason: 'DRIVER_OTHER' }, 'start_time'],
  ])('refuses %s with the 400 envelope', async (_name, body, field) => {
    expect(expectError(await as(admin).post(periods(driver), body), 400).errors.map((e) => e.field)).toContain(field);
  });

  it('takes vehicle and subcontractor reasons for vehicles, and refuses driver reasons', async () => {
    expectPeriod(await as(admin).post(periods(truck), { start_time: '2027-01-05T08:00:00Z', end_time: '2027-01-05T17:00:00Z', reason: 'VEHICLE_MOT_TEST' }));
    expectPeriod(await as(admin).post(periods(truck), { start_time: '2027-01-06T08:00:00Z', reason: 'SUBCONTRACTOR_OTHER' }));
    expectError(await as(admin).post(periods(truck), { start_time: '2027-01-05T08:00:00Z', reason: 'DRIVER_HOLIDAY' }), 400);
  });

  it('lists by time window, open-ended periods included, with cursor paging', async () => {
    const resource = await newResource(admin, { name: 'Windowed', tractor: {} });
    const make = (start: string, end: string | null) => as(admin).post(periods(resource), { start_time: start, end_time: end, reason: 'VEHICLE_SERVICE' });
    const early = expectPeriod(await make('2027-02-01T00:00:00Z', '2027-02-02T00:00:00Z')).id;
    const middle = expectPeriod(await make('2027-02-10T00:00:00Z', '2027-02-12T00:00:00Z')).id;
    const open = expectPeriod(await make('2027-02-20T00:00:00Z', null)).id;
    const window = async (query: string) => {
      const res = await as(admin).get(`${periods(resource)}${query}`);
      expect(res.statusCode, res.body).toBe(200);
      expectContract('ListResourceUnavailabilityOutput', res.json());
      return res.json().items.map((p: { id: string }) => p.id);
    };
    expect(await window('')).toEqual([early, middle, open]);
    expect(await window('?start_time=2027-02-11T00:00:00Z&end_time=2027-02-15T00:00:00Z')).toEqual([middle]);
    expect(await window('?start_time=2028-01-01T00:00:00Z')).toEqual([open]);
    expect(await window('?end_time=2027-02-05T00:00:00Z')).toEqual([early]);
    const first = (await as(admin).get(`${periods(resource)}?limit=2`)).json();
    expect(first.items).toHaveLength(2);
    expect((await as(admin).get(`${periods(resource)}?cursor=${first.next_cursor}`)).json().items.map((p: { id: string }) => p.id)).toEqual([open]);
  });
});

describe('GET /v1/resources/unavailability (change feed)', () => {
  it('lists every change since updated_after, deletions as tombstones', async () => {
    const tenant = await newTenant(ctx, 'Feed carrier');
    const a = await newResource(tenant, { name: 'A', driver: {} });
    const b = await newResource(tenant, { name: 'B', van: {} });
    const start = new Date(Date.now() - 1000).toISOString();
    const kept = (await as(tenant).post(periods(a), { start_time: '2027-03-01T00:00:00Z', reason: 'DRIVER_TRAINING' })).json();
    const gone = (await as(tenant).post(periods(b), { start_time: '2027-03-02T00:00:00Z', reason: 'VEHICLE_REPAIR' })).json();
    expect((await as(tenant).delete(`${periods(b)}/${gone.id}`)).statusCode).toBe(204);

    const feed = await as(tenant).get(`/v1/resources/unavailability?updated_after=${encodeURIComponent(start)}`);
    expect(feed.statusCode, feed.body).toBe(200);
    const items = feed.json().items as Array<{ id: string; deleted: boolean; resource_id: string; version: number; timestamp_updated: string }>;
    expect(items.map((i) => [i.id, i.deleted, i.resource_id])).toEqual([
      [kept.id, false, a],
      [gone.id, true, b],
    ]);
    for (const item of items) {
      const { deleted: _d, version: _v, ...period } = item;
      expectContract('ResourceUnavailabilityOutput', period);
    }
    const after = await as(tenant).get(`/v1/resources/unavailability?updated_after=${encodeURIComponent(items[1]?.timestamp_updated as string)}`);
    expect(after.json().items).toEqual([]);
    // Another tenant's feed stays empty.
    const other = await newTenant(ctx, 'Other feed');
    expect((await as(other).get('/v1/resources/unavailability')).json().items).toEqual([]);
  });
});

describe('isolation', () => {
  it("hides other tenants' resources and periods, and is for TENANT clients only", async () => {
    const other = await newTenant(ctx, 'Foreign availability');
    const theirs = await newResource(other, { name: 'Theirs', driver: {} });
    const period = (await as(other).post(periods(theirs), { start_time: '2027-04-01T00:00:00Z', reason: 'DRIVER_OTHER' })).json();
    expectError(await as(admin).get(periods(theirs)), 404);
    expectError(await as(admin).post(periods(theirs), { start_time: '2027-04-01T00:00:00Z', reason: 'DRIVER_OTHER' }), 404);
    expectError(await as(admin).get(`${periods(theirs)}/${period.id}`), 404);
    expectError(await as(admin).delete(`${periods(theirs)}/${period.id}`), 404);
    // A period id under the wrong resource is not found either.
    expectError(await as(other).get(`${periods(await newResource(other, { name: 'Other', driver: {} }))}/${period.id}`), 404);
    const company = await newCompany(ctx, admin, { name: 'Portal subco', is_subcontractor: true });
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: company });
    expectError(await as(subco).get(periods(driver)), 403);
    expectError(await as(subco).get('/v1/resources/unavailability'), 403);
  });
});
