import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { orderWithStops, newResource, planTrip, stopRef, tripCall, tripsWorld } from '../trips/trips.fixtures.js';

/** Threat class: a partner learning more than its job needs (a subcontractor reading the customer's terms and price). */
const PUBLIC_BASE = 'https://waybill.example.test';
const world = tripsWorld({ publicBaseUrl: PUBLIC_BASE });
let ctx: TestContext;
let admin: Client;

const SECRETS = ['BE71096123456769', 'NET_45', 'only for finance', '400999', '845.50', '99999'];

beforeAll(async () => {
  ({ ctx, admin } = world);
  const patched = await tripCall(ctx, admin, 'PATCH', `/v1/companies/company/${world.acmeId}`, {
    bank_accounts: [{ iban_code: 'BE71 0961 2345 6769' }],
    payment_term: { code: 'NET_45' },
    note: 'only for finance',
    accounting_code: '400999',
    credit_policy: { limit: 99999 },
  });
  expect(patched.statusCode, patched.body).toBe(200);
});

async function subcontractorWithReceiver(code: string, extra: Record<string, unknown> = {}) {
  const id = await newCompany(ctx, admin, { name: `Haulier ${code}`, code, is_customer: false, is_subcontractor: true, ...extra });
  const { receiver } = await world.receiver(id, ['subcontractor_dispatch', 'operational_visibility', 'events']);
  return { id, receiver, hook: await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: id, kind: 'WEBHOOK' }) };
}

async function dispatchedTrip(identifier: string, body: Record<string, unknown>) {
  const order = await orderWithStops(ctx, admin, identifier);
  const trip = await planTrip(ctx, admin, [stopRef('P1', order.stops), stopRef('D1', order.stops)]);
  const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, body);
  expect(res.statusCode, res.body).toBe(200);
  return { order, trip };
}

const bodies = (r: Receiver) => r.received.map((m) => m.body);

describe('share with a subcontractor only what it needs', () => {
  it("a subcontractor's dispatch names the customer without its bank account, terms, notes or accounting code, and has no order pricing", async () => {
    const subco = await subcontractorWithReceiver('HAUL1');
    const { order, trip } = await dispatchedTrip('DISC-1', { subcontractor_id: subco.id, purchase_price: '450.00', currency: 'EUR' });
    await eventually(() => subco.receiver.received.length >= 1);
    const create = subco.receiver.received.map((m) => JSON.parse(m.body)).find((m) => m.operation === 'CREATE');
    expectContract('SubcontractorDispatch', create);
    const [dispatched] = create.payload.orders;
    expect(dispatched.id).toBe(order.orderId);
    expect(dispatched.customer).toEqual({ id: world.acmeId, name: 'Acme', code: 'ACME', currency: 'EUR' });
    expect(dispatched.pricing).toBeNull();
    // Its own agreed purchase price is what it needs.
    expect(create.payload.purchase_price).toBe('450.00');
    const read = await tripCall(ctx, await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subco.id }), 'GET', `/v1/trips/trip/${trip.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().purchase_price).toBe('450.00');
    for (const text of [...bodies(subco.receiver), read.body]) for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('every push a subcontractor endpoint receives (a POD it uploads, raw events) leaks no customer details, and its download_url is absolute', async () => {
    const subco = await subcontractorWithReceiver('HAUL2');
    const { trip } = await dispatchedTrip('DISC-2', { subcontractor_id: subco.id, purchase_price: '300.00', currency: 'EUR' });
    const stopId = trip.stops[1]!.id;
    const pod = await ctx.app.inject({
      method: 'POST',
      url: `/v1/webhook/subco-document-upload?question_path_key=POD&stop_id=${stopId}`,
      headers: { authorization: subco.hook.auth, 'content-type': 'application/pdf' },
      payload: '%PDF signed pod',
    });
    expect(pod.statusCode, pod.body).toBe(200);
    const documentPush = await eventually(() => subco.receiver.received.map((m) => JSON.parse(m.body)).find((m) => m.events?.[0]?.update?.type === 'Document'));
    const url = documentPush.events[0].update.document.document_content.download_url as string;
    expect(url).toBe(`${PUBLIC_BASE}/v1/documents/document/${pod.json().document_id}/download`);
    expect(documentPush.order.customer).toEqual({ id: world.acmeId, name: 'Acme' });
    await eventually(() => bodies(subco.receiver).some((b) => b.includes('"document.created"')));
    for (const body of bodies(subco.receiver)) for (const secret of SECRETS) expect(body).not.toContain(secret);
  });

  it('a subcontractor the tenant opted in sees the customer record and the order pricing', async () => {
    const subco = await subcontractorWithReceiver('HAUL3', { subcontractor_sees_order_details: true });
    const company = await tripCall(ctx, admin, 'GET', `/v1/companies/company/${subco.id}`);
    expect(company.json().subcontractor_sees_order_details).toBe(true);
    await dispatchedTrip('DISC-3', { subcontractor_id: subco.id, purchase_price: '450.00', currency: 'EUR' });
    const create = await eventually(() => subco.receiver.received.map((m) => JSON.parse(m.body)).find((m) => m.operation === 'CREATE'));
    expect(create.payload.orders[0].customer).toMatchObject({ code: 'ACME', accounting_code: '400999', note: 'only for finance' });
    expect(create.payload.orders[0].pricing).toMatchObject({ requested_price: '845.50' });
  });

  it("the fleet app's dispatch carries the customer as name and code only too", async () => {
    const { receiver } = await world.receiver(null, ['fleet_dispatch']);
    const driver = await newResource(ctx, admin, { name: 'Disclosure driver', resource_type: 'DRIVER' });
    await dispatchedTrip('DISC-4', { resources: [{ resource_type: 'DRIVER', id: driver }] });
    const create = await eventually(() => receiver.received.map((m) => JSON.parse(m.body)).find((m) => m.operation === 'CREATE'));
    expect(create.payload.orders[0].customer).toEqual({ id: world.acmeId, name: 'Acme', code: 'ACME', currency: 'EUR' });
    expect(create.payload.orders[0].pricing).toBeNull();
  });
});
