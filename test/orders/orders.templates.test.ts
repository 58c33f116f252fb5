import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { asPerson, newPerson, type Person } from '../support/people.js';
import { as } from '../support/requests.js';
import { realisticOrder, upload } from './orders.fixtures.js';

/** A customer's order templates (the portal's booking form, issue 23): CRUD in its own company, nobody else's. */
let ctx: TestContext;
let admin: Client;
let acme: Client;
let acme2: Client;
let beta: Client;
let subco: Client;
let acmeHook: Client;
let buyer: Person;
let otherTenantAcme: Client;

/** An order to save: the upload body less its key and operation, dates left out. */
function templateOrder(reference: string) {
  const { operation: _op, order_identifier: _id, customer: _c, ...order } = realisticOrder('T', { customer_reference_number: reference });
  return order as Record<string, unknown>;
}

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Templates carrier');
  const acmeId = await newCompany(ctx, admin, { name: 'Acme Tiles NV', code: 'ACME' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
  const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  acme2 = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
  acmeHook = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId, kind: 'WEBHOOK' });
  buyer = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: acmeId });
  const otherTenant = await newTenant(ctx, 'Another carrier');
  const otherAcmeId = await newCompany(ctx, otherTenant, { name: 'Acme Tiles NV', code: 'ACME' });
  otherTenantAcme = await newClient(ctx, otherTenant.tenantId, 'CUSTOMER', { companyId: otherAcmeId });
});
afterAll(() => ctx.close());

describe('order templates', () => {
  let id: string;

  it('saves, lists, reads, replaces and deletes a template of the caller’s company', async () => {
    const created = await as(acme).post('/v1/orders/templates', { name: ' Weekly Lyon ', order: templateOrder('PO-WEEKLY') });
    expect(created.statusCode, created.body).toBe(201);
    id = created.json().id;
    expect(created.json()).toMatchObject({ name: 'Weekly Lyon', order: { customer_reference_number: 'PO-WEEKLY' } });
    expect(created.json().order.consignments).toHaveLength(2);

    // Another client and a signed-in person of the same company share it.
    const listed = await as(acme2).get('/v1/orders/templates');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items.map((t: { id: string }) => t.id)).toEqual([id]);
    expect((await asPerson(buyer).get(`/v1/orders/templates/${id}`)).json().name).toBe('Weekly Lyon');

    const replaced = await as(acme).put(`/v1/orders/templates/${id}`, { name: 'Weekly Lyon (tail lift)', order: templateOrder('PO-WEEKLY-2') });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ id, name: 'Weekly Lyon (tail lift)', order: { customer_reference_number: 'PO-WEEKLY-2' } });

    // A template booked again: its body plus a key is an order the upload takes.
    const booked = await upload(ctx, acme, { operation: 'CREATE', order_identifier: 'FROM-TEMPLATE-1', ...replaced.json().order });
    expect(booked.json().upload_status, booked.body).toBe('COMPLETED');

    const events = await as(acme).get('/v1/events?entity_type=order_template');
    expect(events.json().items.map((e: { type: string }) => e.type)).toEqual(['order_template.saved', 'order_template.saved']);
  });

  it('refuses a taken name (409), a bad body with the field named (400), and answers 404 once deleted', async () => {
    const dup = await as(acme).post('/v1/orders/templates', { name: 'Weekly Lyon (tail lift)', order: templateOrder('X') });
    expect(expectError(dup, 409).errors[0]?.field).toBe('name');
    const second = await as(acme).post('/v1/orders/templates', { name: 'Second', order: templateOrder('Y') });
    expect(second.statusCode).toBe(201);
    expectError(await as(acme).put(`/v1/orders/templates/${second.json().id}`, { name: 'Weekly Lyon (tail lift)', order: templateOrder('Y') }), 409);
    const bad = await as(acme).post('/v1/orders/templates', { name: 'Bad', order: { consignments: [{ pickup_stop: {} }] } });
    expectError(bad, 400);
    expectError(await as(acme).post('/v1/orders/templates', { name: '', order: templateOrder('Z') }), 400);
    expectError(await as(acme).post('/v1/orders/templates', { name: 'Keyed', order: { ...templateOrder('Z'), order_identifier: 'K' } }), 400);

    expect((await as(acme).delete(`/v1/orders/templates/${second.json().id}`)).statusCode).toBe(204);
    expectError(await as(acme).get(`/v1/orders/templates/${second.json().id}`), 404);
    expectError(await as(acme).delete(`/v1/orders/templates/${second.json().id}`), 404);
  });

  it('is invisible to another customer, another tenant, and refused to tenants, subcontractors and WEBHOOK credentials', async () => {
    expect((await as(beta).get('/v1/orders/templates')).json().items).toEqual([]);
    expectError(await as(beta).get(`/v1/orders/templates/${id}`), 404);
    expectError(await as(beta).put(`/v1/orders/templates/${id}`, { name: 'Mine now', order: templateOrder('B') }), 404);
    expectError(await as(beta).delete(`/v1/orders/templates/${id}`), 404);
    expect((await as(otherTenantAcme).get('/v1/orders/templates')).json().items).toEqual([]);
    expectError(await as(otherTenantAcme).get(`/v1/orders/templates/${id}`), 404);
    // Beta may use the same name in its own company.
    expect((await as(beta).post('/v1/orders/templates', { name: 'Weekly Lyon (tail lift)', order: templateOrder('B') })).statusCode).toBe(201);

    for (const client of [admin, subco]) {
      expectError(await as(client).get('/v1/orders/templates'), 403);
      expectError(await as(client).get(`/v1/orders/templates/${id}`), 403);
      expectError(await as(client).post('/v1/orders/templates', { name: 'Nope', order: templateOrder('N') }), 403);
      expectError(await as(client).delete(`/v1/orders/templates/${id}`), 403);
    }
    expectError(await as(acmeHook).get('/v1/orders/templates'), 403);
    // A session must send its CSRF token to change anything.
    expectError(await asPerson(buyer, { csrf: false }).delete(`/v1/orders/templates/${id}`), 403);
    // Beta's events do not show Acme's templates.
    const betaEvents = (await as(beta).get('/v1/events?entity_type=order_template')).json().items as Array<{ entity_id: string }>;
    expect(betaEvents.map((e) => e.entity_id)).not.toContain(id);
    expect((await as(acme).get(`/v1/orders/templates/${id}`)).statusCode).toBe(200);
  });
});
