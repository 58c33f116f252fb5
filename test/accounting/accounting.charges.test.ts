import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { call, newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

let ctx: TestContext;
let admin: Client;
let customer: Client;
let orderId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Charges carrier');
  await seedBillingEntity(ctx, admin);
  const companyId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261', sales: { payment_term: { code: 'NET_30' } } });
  customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId });
  orderId = await newOrder(ctx, admin, 'CH-1', 'ACME');
});
afterAll(() => ctx.close());

const charges = (id = orderId) => `/v1/orders/order/${id}/charges`;

async function approvalEvents(order: string) {
  return ctx.services.db.selectFrom('events').selectAll().where('entity_id', '=', order).where('type', '=', 'order.cost_approval_requested').execute();
}

describe('order charges', () => {
  it('adds a charge, rounded once, approved at once when no approval is needed', async () => {
    const charge = await ok(ctx, admin.auth, 'POST', charges(), {
      code: 'FREIGHT',
      name: 'Freight Antwerp–Lyon',
      quantity: 3,
      unit_price: '0.335',
      tax_rate: { code: 'BE21' },
    });
    expect(charge).toMatchObject({
      code: 'FREIGHT',
      quantity: '3',
      unit_price: '0.335',
      amount_excl_tax: '1.01',
      currency: 'EUR',
      approval_status: 'APPROVED',
      status: 'CREATED',
      invoice_id: null,
      tax_rate: { code: 'BE21', percentage: 21 },
    });
    const list = await ok(ctx, customer.auth, 'GET', charges());
    expectContract('OrderChargesOutput', list);
    expect(list.charges.map((c: { id: string }) => c.id)).toEqual([charge.id]);
    expect(await approvalEvents(orderId)).toHaveLength(0);
  });

  it('asks the customer to approve, who approves; a new price asks again; a rejection sticks', async () => {
    const charge = await ok(ctx, admin.auth, 'POST', charges(), {
      code: 'WAITING_TIME',
      quantity: '1.5',
      unit_price: '45',
      tax_rate: { code: 'BE21' },
      requires_approval: true,
      account_code: '700000',
    });
    expect(charge).toMatchObject({ approval_status: 'REQUESTED', amount_excl_tax: '67.50', account: { code: '700000' } });
    const events = await approvalEvents(orderId);
    expect(events).toHaveLength(1);
    expect(events[0]?.company_ids).toEqual([customer.companyId]);
    expect(events[0]?.payload).toMatchObject({ charge_id: charge.id, code: 'WAITING_TIME' });

    const approved = await ok(ctx, customer.auth, 'POST', `${charges()}/approval`, { charges: [{ id: charge.id }] });
    expectContract('OrderChargesOutput', approved);
    expect(approved.charges.find((c: { id: string }) => c.id === charge.id).approval_status).toBe('APPROVED');

    const changed = await ok(ctx, admin.auth, 'PATCH', `${charges()}/${charge.id}`, { unit_price: '50' });
    expect(changed).toMatchObject({ approval_status: 'REQUESTED', amount_excl_tax: '75.00' });
    expect(await approvalEvents(orderId)).toHaveLength(2);
    // A change of the text alone does not ask again.
    expect(await ok(ctx, admin.auth, 'PATCH', `${charges()}/${charge.id}`, { name: 'Waiting time (2 h)' })).toMatchObject({
      approval_status: 'REQUESTED',
      name: 'Waiting time (2 h)',
    });

    const rejected = await ok(ctx, customer.auth, 'POST', `${charges()}/approval`, { charges: [{ id: charge.id, approval_status: 'REJECTED' }] });
    expect(rejected.charges.find((c: { id: string }) => c.id === charge.id).approval_status).toBe('REJECTED');
  });

  it('refuses approval of charges that need none, are unknown, or listed twice; nothing changes', async () => {
    const plain = (await ok(ctx, admin.auth, 'GET', charges())).charges[0];
    const asked = await ok(ctx, admin.auth, 'POST', charges(), { code: 'TOLL', unit_price: 12, tax_rate: { code: 'BE21' }, requires_approval: true });
    const mixed = await call(ctx, customer.auth, 'POST', `${charges()}/approval`, { charges: [{ id: asked.id }, { id: plain.id }] });
    expectError(mixed, 409);
    expect(mixed.body.errors[0].path).toBe('charges[1].id');
    expect((await ok(ctx, admin.auth, 'GET', charges())).charges.find((c: { id: string }) => c.id === asked.id).approval_status).toBe('REQUESTED');
    expectError(await call(ctx, customer.auth, 'POST', `${charges()}/approval`, { charges: [{ id: '00000000-0000-4000-8000-000000000000' }] }), 409);
    expectError(await call(ctx, customer.auth, 'POST', `${charges()}/approval`, { charges: [{ id: asked.id }, { id: asked.id }] }), 400);
    expectError(await call(ctx, customer.auth, 'POST', `${charges()}/approval`, { charges: [{ id: asked.id, approval_status: 'MAYBE' }] }), 400);
    expectError(await call(ctx, customer.auth, 'POST', `${charges()}/approval`, { charges: [] }), 400);
  });

  it('removes a charge', async () => {
    const charge = await ok(ctx, admin.auth, 'POST', charges(), { code: 'EXTRA', unit_price: 1, tax_rate: { code: 'BE6' } });
    const res = await call(ctx, admin.auth, 'DELETE', `${charges()}/${charge.id}`);
    expect(res.status).toBe(204);
    expect((await ok(ctx, admin.auth, 'GET', charges())).charges.map((c: { id: string }) => c.id)).not.toContain(charge.id);
    expectError(await call(ctx, admin.auth, 'DELETE', `${charges()}/${charge.id}`), 404);
  });

  it.each([
    ['an exponent price', { code: 'X', unit_price: '1e3', tax_rate: { code: 'BE21' } }],
    ['a zero quantity', { code: 'X', unit_price: 1, quantity: 0, tax_rate: { code: 'BE21' } }],
    ['an unknown tax rate', { code: 'X', unit_price: 1, tax_rate: { code: 'NOPE' } }],
    ['no tax rate', { code: 'X', unit_price: 1 }],
    ['an empty tax rate', { code: 'X', unit_price: 1, tax_rate: {} }],
    ['an unknown account', { code: 'X', unit_price: 1, tax_rate: { code: 'BE21' }, account_code: '999' }],
    ['a too long code', { code: 'x'.repeat(101), unit_price: 1, tax_rate: { code: 'BE21' } }],
  ])('refuses %s', async (_why, body) => {
    expectError(await call(ctx, admin.auth, 'POST', charges(), body), 400);
  });

  it('keeps charges within the tenant, the customer and the roles', async () => {
    const other = await newTenant(ctx, 'Other carrier');
    expectError(await call(ctx, other.auth, 'GET', charges()), 404);
    expectError(await call(ctx, other.auth, 'POST', charges(), { code: 'X', unit_price: 1, tax_rate: { code: 'BE21' } }), 404);

    const otherCompany = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
    const otherCustomer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: otherCompany });
    expectError(await call(ctx, otherCustomer.auth, 'GET', charges()), 404);
    expectError(await call(ctx, otherCustomer.auth, 'POST', `${charges()}/approval`, { charges: [{ id: '00000000-0000-4000-8000-000000000000' }] }), 404);

    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: otherCompany });
    expectError(await call(ctx, subco.auth, 'GET', charges()), 403);
    // Charges are the tenant's to set and the customer's to approve (or the tenant's, on the customer's behalf); never a subcontractor's.
    expectError(await call(ctx, customer.auth, 'POST', charges(), { code: 'X', unit_price: 1, tax_rate: { code: 'BE21' } }), 403);
    expectError(await call(ctx, admin.auth, 'POST', `${charges()}/approval`, { charges: [{ id: '00000000-0000-4000-8000-000000000000' }] }), 409);
    expectError(await call(ctx, subco.auth, 'POST', `${charges()}/approval`, { charges: [{ id: '00000000-0000-4000-8000-000000000000' }] }), 403);
  });
});
