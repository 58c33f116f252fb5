import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { asPerson, newPerson, type Person } from '../support/people.js';
import { as } from '../support/requests.js';
import { realisticOrder, upload } from './orders.fixtures.js';

/**
 * Saved locations (the portal's booking form, issue 23): the places a customer's own orders and
 * templates use, most used first; nobody sees another company's, nor another tenant's.
 */
let ctx: TestContext;
let admin: Client;
let acme: Client;
let beta: Client;
let subco: Client;
let buyer: Person;
let otherTenantAcme: Client;

interface Place {
  name: string | null;
  address: string | null;
  city: string | null;
  uses: number;
}
const summary = (items: Place[]) => items.map((p) => `${p.name}|${p.uses}`);
const oneStopOrder = (identifier: string, pickup: Record<string, unknown>, delivery: Record<string, unknown>) => ({
  operation: 'CREATE',
  order_identifier: identifier,
  consignments: [{ pickup_stop: { location: pickup }, delivery_stop: { location: delivery }, goods: [{ description: 'Crates', quantity: 1 }] }],
});

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Locations carrier');
  const acmeId = await newCompany(ctx, admin, { name: 'Acme Tiles NV', code: 'ACME' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
  const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
  buyer = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: acmeId });
  const otherTenant = await newTenant(ctx, 'Another carrier');
  const otherAcmeId = await newCompany(ctx, otherTenant, { name: 'Acme Tiles NV', code: 'ACME' });
  otherTenantAcme = await newClient(ctx, otherTenant.tenantId, 'CUSTOMER', { companyId: otherAcmeId });

  // Acme: two realistic orders (Antwerp DC twice each, Lyon Hub and Grenoble Store once each) and a template.
  for (const id of ['LOC-1', 'LOC-2']) {
    const { customer: _c, ...order } = realisticOrder(id);
    expect((await upload(ctx, acme, order)).json().upload_status).toBe('COMPLETED');
  }
  const saved = await as(acme).post('/v1/orders/templates', {
    name: 'Paris run',
    order: {
      consignments: [
        {
          // Spaces around a field make no new place.
          pickup_stop: { location: { name: ' Antwerp DC', address: 'Noorderlaan 100 ', postal_code: '2030', city: 'Antwerpen', country: 'BE' } },
          delivery_stop: { location: { name: 'Paris 50% Depot', address: '1 Quai de la Seine', postal_code: '75019', city: 'Paris', country: 'FR' } },
          goods: [{ description: 'Crates', quantity: 1 }],
        },
      ],
    },
  });
  expect(saved.statusCode, saved.body).toBe(201);
  const brewery = { name: 'Beta Brewery', address: 'Brouwerijstraat 1', postal_code: '9000', city: 'Gent', country: 'BE' };
  expect((await upload(ctx, beta, oneStopOrder('BETA-1', brewery, { name: 'Beta Bar', city: 'Brussel', country: 'BE' }))).json().upload_status).toBe(
    'COMPLETED',
  );
  const secret = { name: 'Secret Place', address: 'Elsewhere 1', city: 'Antwerpen', country: 'BE' };
  expect((await upload(ctx, otherTenantAcme, oneStopOrder('OTHER-1', secret, secret))).json().upload_status).toBe('COMPLETED');
});
afterAll(() => ctx.close());

describe('saved locations', () => {
  it('lists the distinct places of the company’s orders and templates, most used first, then by name', async () => {
    const res = await as(acme).get('/v1/orders/locations');
    expect(res.statusCode, res.body).toBe(200);
    expect(summary(res.json().items)).toEqual(['Antwerp DC|5', 'Grenoble Store|2', 'Lyon Hub|2', 'Paris 50% Depot|1']);
    expect(res.json().items[0]).toMatchObject({ address: 'Noorderlaan 100', postal_code: '2030', city: 'Antwerpen', country: 'BE' });
    // A field the stops never gave is null, not an empty string.
    expect(res.json().items[1]).toMatchObject({ name: 'Grenoble Store', address: null, city: 'Grenoble' });
    expect(res.json().next_cursor).toBeNull();
    // A signed-in person of the company sees the same places.
    expect(summary((await asPerson(buyer).get('/v1/orders/locations')).json().items)).toEqual(summary(res.json().items));
  });

  it('searches name, address, postal code and town in any case, a % matching itself', async () => {
    expect(summary((await as(acme).get('/v1/orders/locations?q=LYON')).json().items)).toEqual(['Lyon Hub|2']);
    expect(summary((await as(acme).get('/v1/orders/locations?q=noorderlaan')).json().items)).toEqual(['Antwerp DC|5']);
    expect(summary((await as(acme).get('/v1/orders/locations?q=38000')).json().items)).toEqual(['Grenoble Store|2']);
    expect(summary((await as(acme).get('/v1/orders/locations?q=50%25')).json().items)).toEqual(['Paris 50% Depot|1']);
    expect((await as(acme).get('/v1/orders/locations?q=Brewery')).json().items).toEqual([]);
  });

  it('pages with next_cursor, alone or beside the same filters, and refuses a forged or mismatched cursor', async () => {
    const first = await as(acme).get('/v1/orders/locations?limit=3');
    expect(summary(first.json().items)).toEqual(['Antwerp DC|5', 'Grenoble Store|2', 'Lyon Hub|2']);
    const cursor = first.json().next_cursor as string;
    expect(cursor).toEqual(expect.any(String));
    const second = await as(acme).get(`/v1/orders/locations?limit=3&cursor=${cursor}`);
    expect(second.statusCode, second.body).toBe(200);
    expect(summary(second.json().items)).toEqual(['Paris 50% Depot|1']);
    expect(second.json().next_cursor).toBeNull();

    const searched = await as(acme).get('/v1/orders/locations?limit=1&q=a');
    const next = await as(acme).get(`/v1/orders/locations?limit=1&q=a&cursor=${searched.json().next_cursor}`);
    // Grenoble Store has no "a" in any searched field: after Antwerp DC comes Lyon Hub (Rue de la Gare).
    expect(summary(next.json().items)).toEqual(['Lyon Hub|2']);
    expectError(await as(acme).get(`/v1/orders/locations?q=lyon&cursor=${searched.json().next_cursor}`), 400);

    const forged = (after: unknown) => Buffer.from(JSON.stringify({ q: null, customer_code: null, after })).toString('base64url');
    expectError(await as(acme).get('/v1/orders/locations?cursor=not-a-cursor'), 400);
    expectError(await as(acme).get(`/v1/orders/locations?cursor=${forged({ uses: 'x', name: '', id: 'a'.repeat(32) })}`), 400);
    expectError(await as(acme).get(`/v1/orders/locations?cursor=${forged({ uses: 1, name: '', id: "'; drop table orders" })}`), 400);
    expectError(await as(acme).get('/v1/orders/locations?limit=0'), 400);
  });

  it('shows a customer only its own company’s places, whatever it asks', async () => {
    expect(summary((await as(beta).get('/v1/orders/locations')).json().items)).toEqual(['Beta Bar|1', 'Beta Brewery|1']);
    // Naming another customer answers nothing rather than its places.
    expect((await as(beta).get('/v1/orders/locations?customer_code=ACME')).json().items).toEqual([]);
    expect(summary((await as(beta).get('/v1/orders/locations?customer_code=BETA')).json().items)).toEqual(['Beta Bar|1', 'Beta Brewery|1']);
    // A cursor names no company: Beta following Acme's cursor still sees only Beta's places.
    const acmeCursor = (await as(acme).get('/v1/orders/locations?limit=1')).json().next_cursor as string;
    const followed = (await as(beta).get(`/v1/orders/locations?cursor=${acmeCursor}`)).json().items as Place[];
    expect(followed.every((p) => p.name?.startsWith('Beta'))).toBe(true);
    // The same company code in another tenant is another company.
    expect(summary((await as(otherTenantAcme).get('/v1/orders/locations')).json().items)).toEqual(['Secret Place|2']);
  });

  it('lets the tenant name a customer, requires it, and keeps subcontractors out', async () => {
    expect(summary((await as(admin).get('/v1/orders/locations?customer_code=ACME')).json().items)).toEqual([
      'Antwerp DC|5',
      'Grenoble Store|2',
      'Lyon Hub|2',
      'Paris 50% Depot|1',
    ]);
    expect((await as(admin).get('/v1/orders/locations?customer_code=NOPE')).json().items).toEqual([]);
    expect(expectError(await as(admin).get('/v1/orders/locations'), 400).errors[0]?.field).toBe('customer_code');
    expectError(await as(subco).get('/v1/orders/locations'), 403);
    expectError(await ctx.app.inject({ method: 'GET', url: '/v1/orders/locations' }), 401);
  });
});
