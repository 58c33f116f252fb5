import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { as, type Answer as Res } from '../support/requests.js';

const ctx = useApp();
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Fleet carrier');
});

const BASE = '/v1/resources/resource';

/** The contract's output schema for each variant's sub-object key. */
const OUTPUT_SCHEMA: Record<string, string> = {
  driver: 'DriverResourceOutput',
  tractor: 'TractorResourceOutput',
  truck: 'TruckResourceOutput',
  van: 'VanResourceOutput',
  trailer: 'TrailerResourceOutput',
  full_trailer: 'FullTrailerResourceOutput',
  chassis: 'ChassisResourceOutput',
  container: 'ContainerResourceOutput',
};

function expectResource(res: Res, variant: string) {
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expectContract(OUTPUT_SCHEMA[variant] as string, body);
  expect(Object.keys(body).filter((k) => k in OUTPUT_SCHEMA)).toEqual([variant]);
  return body;
}

const VARIANTS: Array<[string, string, Record<string, unknown>, Record<string, unknown>]> = [
  [
    'driver',
    'DRIVER',
    { first_name: 'Ana', last_name: 'Silva', email_address: 'ana@fleet.example', date_of_birth: '1990-04-01', phone_number: '+32470000000' },
    { last_name: 'Silva-Costa' },
  ],
  [
    'tractor',
    'TRACTOR',
    { license_plate: '1-TRC-001', tare_weight_kg: 7800, axle_configuration: 'AC_4_X_2', emission_class: 'EURO_6', fuel_type: 'DIESEL' },
    { tare_weight_kg: '7850.25' },
  ],
  [
    'truck',
    'RIGID',
    { license_plate: '1-TRK-001', capacity_pallet_spaces: 18, capacity_weight_kg: '12000.5', roof_type: 'CLOSED' },
    { capacity_pallet_spaces: 20 },
  ],
  ['van', 'VAN', { license_plate: '1-VAN-001', capacity_volume_m3: 12.5 }, { roof_type: 'OPEN' }],
  ['trailer', 'TRAILER', { license_plate: 'Q-TRL-001', axle_configuration: 'AC_6_TRAILER', exterior_length_m: '13.6' }, { capacity_weight_kg: 24000 }],
  ['full_trailer', 'FULL_TRAILER', { license_plate: 'Q-FTR-001', axle_configuration: 'AC_4_TRAILER' }, { model: 'Drawbar' }],
  ['chassis', 'CHASSIS', { license_plate: 'Q-CHS-001', gross_weight_vehicle_rating_weight_kg: 36000 }, { manufacturer: 'Krone' }],
  ['container', 'CONTAINER', { container_number: 'MSCU1234565', standard_size: 'FEET_40', iso_code: '42G1' }, { manufacturer: 'CIMC' }],
];

describe('resource variants', () => {
  it.each(VARIANTS)('%s: created, read, replaced, patched and archived in the contract shape', async (variant, type, props, patch) => {
    const created = expectResource(await as(admin).post(BASE, { name: `My ${variant}`, external_id: `EXT-${variant}`, [variant]: props }), variant);
    expect(created).toMatchObject({ name: `My ${variant}`, resource_type: type, external_id: `EXT-${variant}`, is_active: true, is_external_resource: false });
    for (const [field, value] of Object.entries(props)) {
      // Measures come back as decimal strings, everything else as sent.
      expect(created[variant][field]).toBe(typeof value === 'number' ? String(value) : value);
    }
    const url = `${BASE}/${created.row_id}`;
    const read = await as(admin).get(url);
    expect(expectResource(read, variant)).toEqual(created);
    expect(read.headers.etag).toBe('"1"');

    const replaced = expectResource(await as(admin).put(url, { name: `Renamed ${variant}`, external_id: `EXT-${variant}`, resource_type: type }), variant);
    expect(replaced).toMatchObject({ name: `Renamed ${variant}`, [variant]: {} });

    const patched = expectResource(await as(admin).patch(url, { note: 'patched', [variant]: patch }), variant);
    expect(patched).toMatchObject({ name: `Renamed ${variant}`, note: 'patched' });
    for (const [field, value] of Object.entries(patch)) expect(patched[variant][field]).toBe(typeof value === 'number' ? String(value) : value);

    const archived = await as(admin).delete(url);
    expect(archived.statusCode).toBe(204);
    expect(expectResource(await as(admin).get(url), variant).is_active).toBe(false);
    expect((await as(admin).get(`${BASE}?external_id=EXT-${variant}`)).json().items[0].is_active).toBe(false);
  });

  it('accepts resource_type alone, and returns it additively', async () => {
    const created = expectResource(await as(admin).post(BASE, { name: 'Bare driver', resource_type: 'DRIVER' }), 'driver');
    expect(created).toMatchObject({ resource_type: 'DRIVER', driver: {} });
  });

  it.each([
    ['no variant at all', { name: 'What am I' }, 'resource_type'],
    ['an unknown variant', { name: 'Boat', boat: { length_m: 20 } }, 'resource_type'],
    ['two variant sub-objects', { name: 'Centaur', truck: {}, trailer: {} }, 'truck'],
    ['a type contradicting the sub-object', { name: 'Liar', resource_type: 'VAN', truck: {} }, 'resource_type'],
    ['an unknown resource_type', { name: 'Ferry', resource_type: 'FERRY' }, 'resource_type'],
    ['an unknown enum value', { name: 'Old', tractor: { emission_class: 'EURO_7' } }, 'emission_class'],
    ['a measure in exponent form', { name: 'Heavy', tractor: { tare_weight_kg: '1e4' } }, 'tare_weight_kg'],
    ['a missing name', { driver: {} }, 'name'],
    ['a bad e-mail', { name: 'Bad mail', driver: { email_address: 'nope' } }, 'email_address'],
  ])('refuses %s with the 400 envelope', async (_name, body, field) => {
    const res = expectError(await as(admin).post(BASE, body), 400);
    expect(res.errors.map((e) => e.field)).toContain(field);
  });

  it('refuses a change of variant on PUT and PATCH', async () => {
    const created = (await as(admin).post(BASE, { name: 'Fixed kind', van: {} })).json();
    expectError(await as(admin).put(`${BASE}/${created.row_id}`, { name: 'Now a truck', truck: {} }), 400);
    expectError(await as(admin).patch(`${BASE}/${created.row_id}`, { container: {} }), 400);
  });
});

describe('resource fields', () => {
  it('keeps external_id unique per tenant', async () => {
    expectResource(await as(admin).post(BASE, { name: 'First', external_id: 'DUP-1', driver: {} }), 'driver');
    const dup = expectError(await as(admin).post(BASE, { name: 'Second', external_id: 'DUP-1', driver: {} }), 409);
    expect(dup.errors[0]?.field).toBe('external_id');
    const other = (await as(admin).post(BASE, { name: 'Third', external_id: 'DUP-2', driver: {} })).json();
    expectError(await as(admin).patch(`${BASE}/${other.row_id}`, { external_id: 'DUP-1' }), 409);
    const elsewhere = await newTenant(ctx, 'Other fleet');
    expect((await as(elsewhere).post(BASE, { name: 'Same id elsewhere', external_id: 'DUP-1', driver: {} })).statusCode).toBe(200);
  });

  it('replaces extras when sent, clears them with [], and keeps integrations', async () => {
    const created = expectResource(
      await as(admin).post(BASE, {
        name: 'Equipped',
        truck: {},
        extras: [{ code: 'TAIL_LIFT' }, { code: 'ADR' }],
        integrations: { telematics: { active: true, object_id: '1234' } },
      }),
      'truck',
    );
    expect(created.extras.map((e: { code: string }) => e.code)).toEqual(['TAIL_LIFT', 'ADR']);
    expect(created.integrations).toEqual({ telematics: { active: true, object_id: '1234' } });
    const url = `${BASE}/${created.row_id}`;
    const same = expectResource(await as(admin).patch(url, { extras: [{ code: 'ADR' }] }), 'truck');
    expect(same.extras).toEqual([created.extras[1]]);
    expect(expectResource(await as(admin).patch(url, { note: 'untouched extras' }), 'truck').extras).toHaveLength(1);
    expect(expectResource(await as(admin).patch(url, { extras: [] }), 'truck').extras).toEqual([]);
  });

  it('links a subcontractor company and refuses a company that is not one', async () => {
    const subco = await newCompany(ctx, admin, { name: 'Haulier', is_subcontractor: true, is_customer: false });
    const shipper = await newCompany(ctx, admin, { name: 'Shipper only' });
    const linked = expectResource(await as(admin).post(BASE, { name: 'Their truck', truck: {}, subcontractor: { row_id: subco } }), 'truck');
    expect(linked).toMatchObject({ subcontractor: { row_id: subco }, is_external_resource: true });
    expectError(await as(admin).post(BASE, { name: 'Bad link', truck: {}, subcontractor: { row_id: shipper } }), 400);
    const other = await newTenant(ctx, 'Subco elsewhere');
    expectError(await as(other).post(BASE, { name: 'Foreign link', truck: {}, subcontractor: { row_id: subco } }), 400);
  });
});

describe('resource groups', () => {
  it('allocates a resource to a group with PATCH, removes it with null, and lists live groups', async () => {
    const group = await as(admin).post('/v1/resources/resource_groups', { name: 'Night shift', code: 'NIGHT' });
    expect(group.statusCode).toBe(200);
    const created = (await as(admin).post(BASE, { name: 'Grouped', driver: {} })).json();
    const url = `${BASE}/${created.row_id}`;
    const grouped = expectResource(await as(admin).patch(url, { resource_group: { id: group.json().id } }), 'driver');
    expect(grouped.resource_groups).toEqual([{ id: group.json().id, name: 'Night shift', code: 'NIGHT' }]);
    expect(expectResource(await as(admin).patch(url, { note: 'stays grouped' }), 'driver').resource_groups).toHaveLength(1);
    expect(expectResource(await as(admin).patch(url, { resource_group: null }), 'driver').resource_groups).toEqual([]);
    expectError(await as(admin).patch(url, { resource_group: { id: '00000000-0000-4000-8000-000000000000' } }), 400);

    const list = await as(admin).get('/v1/resources/resource_groups');
    expectContract('ListResourceGroupOutput', list.json());
    expect(list.json().items.map((g: { code: string }) => g.code)).toContain('NIGHT');
    const other = await newTenant(ctx, 'Groupless');
    expect((await as(other).get('/v1/resources/resource_groups')).json().items).toEqual([]);
  });
});

describe('GET /v1/resources/resource', () => {
  let fleet: Client;
  beforeAll(async () => {
    fleet = await newTenant(ctx, 'Filter fleet');
    for (const [variant, , props] of VARIANTS) await as(fleet).post(BASE, { name: `F ${variant}`, external_id: `F-${variant}`, [variant]: props });
  });

  it('filters by external_id, external_id:in, resource_type and resource_type:in', async () => {
    const names = async (query: string) => {
      const res = await as(fleet).get(`${BASE}?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      expectContract('ListResourceOutput', res.json());
      return res
        .json()
        .items.map((r: { name: string }) => r.name)
        .sort();
    };
    expect(await names('external_id=F-van')).toEqual(['F van']);
    expect(await names('external_id:in=F-van,F-driver,unknown')).toEqual(['F driver', 'F van']);
    expect(await names('resource_type=RIGID')).toEqual(['F truck']);
    expect(await names('resource_type:in=TRAILER,FULL_TRAILER')).toEqual(['F full_trailer', 'F trailer']);
    expect(await names('resource_type=FERRY')).toEqual([]);
    expectError(await as(fleet).get(`${BASE}?resource_type=BOAT`), 400);
    expectError(await as(fleet).get(`${BASE}?resource_type:in=TRAILER,boat`), 400);
  });

  it('pages with a cursor that keeps its filters, and never skips a resource changed during the walk', async () => {
    const seen = new Map<string, number>();
    let cursor: string | null = null;
    let round = 0;
    do {
      const res: Res = await as(fleet).get(`${BASE}?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expectContract('ListResourceOutput', res.json());
      const items = res.json().items as Array<{ row_id: string }>;
      for (const item of items) seen.set(item.row_id, (seen.get(item.row_id) ?? 0) + 1);
      if (round === 0) await as(fleet).patch(`${BASE}/${items[0]?.row_id}`, { note: 'changed behind the cursor' });
      cursor = res.json().next_cursor;
      round++;
    } while (cursor);
    expect(seen.size).toBe(VARIANTS.length);
    expect([...seen.values()].sort()).toEqual([...Array(VARIANTS.length - 1).fill(1), 2]);
  });
});

describe('isolation', () => {
  it("hides other tenants' resources and is for TENANT clients only", async () => {
    const other = await newTenant(ctx, 'Isolated fleet');
    const theirs = (await as(other).post(BASE, { name: 'Theirs', external_id: 'ISO-1', driver: {} })).json();
    expectError(await as(admin).get(`${BASE}/${theirs.row_id}`), 404);
    expectError(await as(admin).patch(`${BASE}/${theirs.row_id}`, { note: 'x' }), 404);
    expectError(await as(admin).delete(`${BASE}/${theirs.row_id}`), 404);
    expect((await as(admin).get(`${BASE}?external_id=ISO-1`)).json().items).toEqual([]);

    const company = await newCompany(ctx, admin, { name: 'Portal user', is_subcontractor: true });
    for (const role of ['CUSTOMER', 'SUBCONTRACTOR'] as const) {
      const client = await newClient(ctx, admin.tenantId, role, { companyId: company });
      expectError(await as(client).get(BASE), 403);
      expectError(await as(client).post(BASE, { name: 'Mine', driver: {} }), 403);
      expectError(await as(client).get('/v1/resources/resource_groups'), 403);
    }
  });
});

describe('If-Match and requireActiveResources', () => {
  it('answers 412 on a stale ETag', async () => {
    const created = await as(admin).post(BASE, { name: 'Versioned', tractor: {} });
    const url = `${BASE}/${created.json().row_id}`;
    const etag = created.headers.etag as string;
    expect((await as(admin).patch(url, { note: 'one' }, { 'if-match': etag })).statusCode).toBe(200);
    expectError(await as(admin).patch(url, { note: 'two' }, { 'if-match': etag }), 412);
    expectError(await as(admin).delete(url, undefined, { 'if-match': etag }), 412);
  });

  it("lets other modules check that resources exist, are active and are the tenant's", async () => {
    const active = (await as(admin).post(BASE, { name: 'Usable', driver: {} })).json().row_id as string;
    const archived = (await as(admin).post(BASE, { name: 'Retired', driver: {} })).json().row_id as string;
    await as(admin).delete(`${BASE}/${archived}`);
    const check = (ids: string[], tenantId = admin.tenantId) => ctx.services.resources.requireActiveResources(tenantId, ids);
    expect(await check([active])).toEqual([expect.objectContaining({ id: active, resourceType: 'DRIVER', name: 'Usable' })]);
    await expect(check([active, archived])).rejects.toMatchObject({ statusCode: 400, errors: [expect.objectContaining({ path: 'resources.1' })] });
    const other = await newTenant(ctx, 'Not yours');
    await expect(check([active], other.tenantId)).rejects.toMatchObject({ statusCode: 400 });
    // PATCH is_active: true brings an archived resource back.
    await as(admin).patch(`${BASE}/${archived}`, { is_active: true });
    expect(await check([archived])).toHaveLength(1);
  });
});
