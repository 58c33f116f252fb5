import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, useApp, type Client } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { asPerson, newPerson, type Person } from '../support/people.js';
import { realisticOrder, upload } from '../orders/orders.fixtures.js';

/** A person's session is a principal like an API client: the same role, company and tenant, nothing more. */
const ctx = useApp();
let admin: Client;
let acmeId: string;
let acmePerson: Person;
let haulerPerson: Person;
let tenantPerson: Person;
let otherAdmin: Client;
let otherPerson: Person;
let acmeOrder: string;
let betaOrder: string;
let otherTenantOrder: string;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Access carrier');
  acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta Foods', code: 'BETA' });
  const haulerId = await newCompany(ctx, admin, { name: 'Hauler', code: 'HAUL', is_customer: false, is_subcontractor: true });
  acmePerson = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: acmeId });
  haulerPerson = await newPerson(ctx, admin, { email: 'driver@hauler.example', name: 'Hauler Planner', role: 'SUBCONTRACTOR', company_id: haulerId });
  tenantPerson = await newPerson(ctx, admin, { email: 'ops@access.example', name: 'Ops', role: 'TENANT' });
  const beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  betaOrder = (await upload(ctx, beta, realisticOrder('PPL-B', { customer: { code: 'BETA' } }))).json().order_id;

  otherAdmin = await newTenant(ctx, 'Other carrier');
  await newCompany(ctx, otherAdmin, { name: 'Acme', code: 'ACME' });
  otherPerson = await newPerson(ctx, otherAdmin, { email: 'ops@other.example', name: 'Other Ops', role: 'TENANT' });
  otherTenantOrder = (await upload(ctx, otherAdmin, realisticOrder('PPL-O'))).json().order_id;
});

describe('a CUSTOMER person', () => {
  it('orders for their own company and sees only its orders', async () => {
    const res = await asPerson(acmePerson).post('/v1/orders/order/upload', realisticOrder('PPL-A', { customer: undefined }));
    expect(res.statusCode, res.body).toBe(200);
    acmeOrder = res.json().order_id;
    const own = await asPerson(acmePerson).get(`/v1/orders/order/${acmeOrder}`);
    expect(own.statusCode, own.body).toBe(200);
    expectError(await asPerson(acmePerson).get(`/v1/orders/order/${betaOrder}`), 404);
    const list = await asPerson(acmePerson).get('/v1/orders/order?limit=100');
    expect(list.statusCode, list.body).toBe(200);
    const ids = JSON.stringify(list.json());
    expect(ids).toContain(acmeOrder);
    expect(ids).not.toContain(betaOrder);
  });

  it('sees only events naming its company', async () => {
    const feed = await asPerson(acmePerson).get('/v1/events?limit=1000');
    expect(feed.statusCode, feed.body).toBe(200);
    const entities = feed.json().items.map((e: { entity_id: string }) => e.entity_id);
    expect(entities).toContain(acmeOrder);
    expect(entities).not.toContain(betaOrder);
    expect(entities).not.toContain(tenantPerson.userId);
  });

  it('reaches no TENANT route', async () => {
    expectError(await asPerson(acmePerson).get('/v1/admin/users'), 403);
    expectError(await asPerson(acmePerson).get(`/v1/admin/users/${acmePerson.userId}`), 403);
    expectError(await asPerson(acmePerson).post(`/v1/admin/users/${tenantPerson.userId}/disable`), 403);
    expectError(await asPerson(acmePerson).post('/v1/admin/users', { email: 'x@acme.example', name: 'X', role: 'TENANT' }), 403);
    expectError(await asPerson(acmePerson).get('/v1/admin/api-clients'), 403);
  });
});

describe('a SUBCONTRACTOR person', () => {
  it("sees no customer's order and no tenant route", async () => {
    expectError(await asPerson(haulerPerson).get(`/v1/orders/order/${acmeOrder}`), 404);
    expectError(await asPerson(haulerPerson).get(`/v1/orders/order/${betaOrder}`), 404);
    const feed = await asPerson(haulerPerson).get('/v1/events?limit=1000');
    expect(feed.statusCode, feed.body).toBe(200);
    expect(feed.json().items.map((e: { entity_id: string }) => e.entity_id)).not.toContain(acmeOrder);
    expectError(await asPerson(haulerPerson).get('/v1/admin/users'), 403);
    expectError(await asPerson(haulerPerson).post('/v1/admin/api-clients', { name: 'x', role: 'TENANT' }), 403);
    const me = await asPerson(haulerPerson).get('/v1/session');
    expect(me.json().user).toMatchObject({ role: 'SUBCONTRACTOR', company_id: expect.any(String) });
  });
});

describe('tenants', () => {
  it("a person never reaches another tenant's objects or people", async () => {
    expectError(await asPerson(tenantPerson).get(`/v1/orders/order/${otherTenantOrder}`), 404);
    expectError(await asPerson(otherPerson).get(`/v1/orders/order/${acmeOrder}`), 404);
    expectError(await asPerson(tenantPerson).get(`/v1/admin/users/${otherPerson.userId}`), 404);
    expectError(await asPerson(tenantPerson).post(`/v1/admin/users/${otherPerson.userId}/disable`), 404);
    expectError(await asPerson(tenantPerson).post(`/v1/admin/users/${otherPerson.userId}/invite`), 404);
    const list = await asPerson(otherPerson).get('/v1/admin/users');
    expect(list.json().items.map((u: { email: string }) => u.email)).toEqual(['ops@other.example']);
    expect((await asPerson(otherPerson).get('/v1/session')).json().tenant.name).toBe('Other carrier');
  });

  it('a cookie naming another tenant with a real secret is refused', async () => {
    const secret = tenantPerson.cookie.slice(tenantPerson.cookie.indexOf('.') + 1);
    const forged = { ...tenantPerson, cookie: `waybill_session=${otherAdmin.tenantId}.${secret}` };
    expectError(await asPerson(forged).get('/v1/session'), 401);
    expectError(await asPerson(forged).get('/me'), 401);
  });

  it('the same email cannot be a person in two tenants', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/admin/users',
      headers: { authorization: otherAdmin.auth },
      payload: { email: 'OPS@access.example', name: 'Twin', role: 'TENANT' },
    });
    expectError(res, 409);
  });

  it('a session opens no inbound webhook route but the subcontractor reports (test/trips/trips.carrier.test.ts)', async () => {
    const res = await asPerson(tenantPerson).post('/v1/webhook/partial-order-update', { updates: [] });
    expectError(res, 401);
  });
});
