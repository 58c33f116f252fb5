import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { eventually } from '../support/webhook-receiver.js';
import { byReference, get, partialUpdate, realisticOrder, upload } from './orders.fixtures.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops, type TripBody } from '../trips/trips.fixtures.js';

/**
 * The stored status document (migration 011): `GET …/status` serves what the last change to the
 * order stored, and each push carries the order as of its own event, even when it is built late.
 */

const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let acmeId: string;
let customerApi: Client;
let subco: Client;
let subcoId: string;
let hook: Client;
beforeAll(async () => {
  ({ ctx, admin, acmeId } = world);
  hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  customerApi = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
});

async function statusUpdate(updates: unknown[]) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/webhook/subco-status-update', headers: { authorization: subco.auth }, payload: { updates } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(updates.map(() => 'APPLIED'));
}

async function statusOf(client: Client, orderId: string) {
  const res = await get(ctx, client, `/v1/orders/order/${orderId}/status`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.json() as Record<string, unknown>;
}

/**
 * The stored answer agrees with GET (the same order plus first pickup and last delivery), with the
 * customer's view, and with the document computed afresh from the order (the lazy path, forced by
 * dropping the stored row).
 */
async function expectStatusAgrees(orderId: string, step: string): Promise<Record<string, unknown>> {
  const stored = await statusOf(admin, orderId);
  expectContract('OrderWithStatus', stored);
  const { first_pickup_stop: first, last_delivery_stop: last, ...order } = stored;
  expect(order, step).toEqual((await get(ctx, admin, `/v1/orders/order/${orderId}`)).json());
  const active = (order.stops as Array<{ status: string; stop_type: string }>).filter((s) => s.status !== 'CANCELLED');
  expect(first, step).toEqual(active.find((s) => s.stop_type === 'PICKUP') ?? null);
  expect(last, step).toEqual(active.reverse().find((s) => s.stop_type === 'DELIVERY') ?? null);
  expect(await statusOf(customerApi, orderId), step).toEqual(stored);
  await ctx.services.db.deleteFrom('order_status_documents').where('order_id', '=', orderId).execute();
  expect(await statusOf(admin, orderId), step).toEqual(stored);
  return stored;
}

describe('the stored status document', () => {
  let order: OrderStops;
  let other: OrderStops;
  let trip: TripBody;
  const ref = (r: string) => stopRef(r, order.stops);

  it('agrees with GET after every kind of change to the order', async () => {
    order = await orderWithStops(ctx, admin, 'SD-1');
    other = await orderWithStops(ctx, admin, 'SD-2');
    expect((await expectStatusAgrees(order.orderId, 'create')).name).toBe(order.name);

    const changed = realisticOrder('SD-1', { operation: 'UPDATE', planning_instructions: 'Call ahead' });
    expect((await upload(ctx, admin, changed)).json().upload_status).toBe('COMPLETED');
    expect((await expectStatusAgrees(order.orderId, 'update')).planning_instructions).toBe('Call ahead');

    const partial = await partialUpdate(ctx, hook, [
      { match: byReference('PO-SD-1'), update: { operation: 'UPDATE', data: { customer_reference_number: 'PO-SD-1b' } } },
    ]);
    expect(partial.errors).toEqual([]);
    expect((await expectStatusAgrees(order.orderId, 'partial update')).customer_reference_number).toBe('PO-SD-1b');

    trip = await planTrip(ctx, admin, [ref('P1'), ref('D1'), ...other.stops.map((s) => s.id)]);
    expect((await expectStatusAgrees(order.orderId, 'planned')).stops).toContainEqual(expect.objectContaining({ id: ref('P1'), status: 'PLANNED' }));

    const moved = { stops: [{ id: ref('P1') }, { id: ref('D1'), date: '2026-12-09' }, ...other.stops.map((s) => ({ id: s.id }))] };
    const patched = await tripCall(ctx, admin, 'PATCH', `/v1/trips/trip/${trip.id}`, moved, { 'if-match': `"${trip.version}"` });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await expectStatusAgrees(order.orderId, 'rescheduled')).stops).toContainEqual(expect.objectContaining({ id: ref('D1'), date: '2026-12-09' }));

    const dispatched = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '450' });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    expect((await expectStatusAgrees(order.orderId, 'dispatched')).stops).toContainEqual(expect.objectContaining({ id: ref('P1'), status: 'DISPATCHED' }));

    await statusUpdate([
      { stop: { id: ref('D1'), eta_start: '2026-12-09T09:00:00+01:00', eta_end: '2026-12-09T10:00:00+01:00' }, event_time: '2026-12-09T06:00:00Z' },
    ]);
    expect((await expectStatusAgrees(order.orderId, 'eta')).stops).toContainEqual(
      expect.objectContaining({ id: ref('D1'), start_timestamp: '2026-12-09T08:00:00.000Z' }),
    );

    await statusUpdate([{ stop: { id: ref('P1'), status: 'AT_STOP' }, event_time: '2026-12-09T07:00:00Z' }]);
    expect((await expectStatusAgrees(order.orderId, 'at stop')).status).toBe('IN_TRANSIT');

    const pod = await ctx.app.inject({
      method: 'POST',
      url: `/v1/webhook/subco-document-upload?question_path_key=POD&stop_id=${ref('P1')}`,
      headers: { authorization: subco.auth, 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="pod.pdf"' },
      payload: Buffer.from('%PDF-1.4 pod'),
    });
    expect(pod.statusCode, pod.body).toBe(200);
    await expectStatusAgrees(order.orderId, 'document');

    const cancelled = await upload(ctx, admin, realisticOrder('SD-2', { operation: 'DELETE' }));
    expect(cancelled.json().upload_status, cancelled.body).toBe('COMPLETED');
    expect((await expectStatusAgrees(other.orderId, 'cancel')).status).toBe('CANCELLED');

    const renamed = await ctx.app.inject({
      method: 'PATCH',
      url: `/v1/companies/company/${acmeId}`,
      headers: { authorization: admin.auth },
      payload: { name: 'Acme Logistics' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const afterRename = await statusOf(admin, order.orderId);
    expect((afterRename.customer as { name: string }).name).toBe('Acme Logistics');
    await expectStatusAgrees(order.orderId, 'customer renamed');

    await statusUpdate([{ stop: { id: ref('P1'), status: 'COMPLETED' }, event_time: '2026-12-09T07:30:00Z' }]);
    await statusUpdate([{ stop: { id: ref('D1'), status: 'COMPLETED' }, event_time: '2026-12-09T09:30:00Z' }]);
    expect((await expectStatusAgrees(order.orderId, 'completed')).stops).toContainEqual(expect.objectContaining({ id: ref('D1'), status: 'COMPLETED' }));
  });

  it("is no one else's: another customer, a subcontractor and another tenant get a 404", async () => {
    const betaId = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
    const beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
    const subcoApi = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
    const stranger = await newTenant(ctx, 'Other carrier');
    for (const client of [beta, subcoApi, stranger]) {
      const res = await get(ctx, client, `/v1/orders/order/${order.orderId}/status`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ message: expect.any(String), errors: expect.any(Array) });
    }
    // Also when nothing is stored yet: the lazy path checks the caller's scope too.
    await ctx.services.db.deleteFrom('order_status_documents').where('order_id', '=', order.orderId).execute();
    expect((await get(ctx, beta, `/v1/orders/order/${order.orderId}/status`)).statusCode).toBe(404);
  });
});

interface Visibility {
  events: Array<{ update: { type: string; id: string | null; status?: string; stop?: { id: string; status: string } } }>;
  order: { id: string; order_name: string; status: string; customer_reference_number: string | null; stops: Array<{ id: string; status: string }> } | null;
}

describe('pushes built late', () => {
  it('a backlog delivers each transition with the order as of its own moment', async () => {
    const { receiver } = await world.receiver(acmeId, ['operational_visibility']);
    const endpoints = await get(ctx, admin, '/v1/admin/webhook-endpoints');
    const endpoint = (endpoints.json().items as Array<{ id: string; url: string }>).find((e) => e.url === receiver.url);
    const since = new Date(Date.now() - 1000).toISOString();
    const adminCall = (method: 'POST', url: string, payload?: object) =>
      ctx.app.inject({ method, url, headers: { authorization: admin.auth }, ...(payload ? { payload } : {}) });
    expect((await adminCall('POST', `/v1/admin/webhook-endpoints/${endpoint?.id}/disable`)).statusCode).toBe(200);

    const order = await orderWithStops(ctx, admin, 'BL-1');
    const ref = (r: string) => stopRef(r, order.stops);
    const trip = await planTrip(ctx, admin, [ref('P1'), ref('D1')]);
    expect((await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '300' })).statusCode).toBe(
      200,
    );
    for (const reference of ['PO-BL-1a', 'PO-BL-1b']) {
      expect(
        (
          await partialUpdate(ctx, hook, [
            {
              match: { matches_all: [{ order: { id: { matches_any: [order.orderId] } } }] },
              update: { operation: 'UPDATE', data: { customer_reference_number: reference } },
            },
          ])
        ).errors,
      ).toEqual([]);
    }
    await statusUpdate([{ stop: { id: ref('P1'), status: 'AT_STOP' }, event_time: '2026-12-10T07:00:00Z' }]);
    const pod = await ctx.app.inject({
      method: 'POST',
      url: `/v1/webhook/subco-document-upload?question_path_key=POD&stop_id=${ref('P1')}`,
      headers: { authorization: subco.auth, 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="bl-1.pdf"' },
      payload: Buffer.from('%PDF-1.4 pod'),
    });
    expect(pod.statusCode, pod.body).toBe(200);
    await statusUpdate([{ stop: { id: ref('P1'), status: 'COMPLETED' }, event_time: '2026-12-10T07:20:00Z' }]);
    expect(receiver.received).toHaveLength(0);

    // Enabled again, the endpoint gets the missed events, their messages built only now.
    expect((await adminCall('POST', `/v1/admin/webhook-endpoints/${endpoint?.id}/enable`)).statusCode).toBe(200);
    const replay = await adminCall('POST', `/v1/admin/webhook-endpoints/${endpoint?.id}/replay`, { since });
    expect(replay.statusCode, replay.body).toBe(202);
    const messages = await eventually(() => {
      const all = receiver.received.map((m) => JSON.parse(m.body) as Visibility).filter((m) => m.order?.id === order.orderId);
      return all.filter((m) => m.events[0]?.update.type === 'Stop').length === 2 && all.some((m) => m.events[0]?.update.type === 'Document') && all;
    });
    for (const m of messages) expectContract('OperationalVisibilityUpdate', m);
    const accepted = messages.find((m) => m.events[0]?.update.status === 'ACCEPTED');
    expect(accepted?.order).toMatchObject({ order_name: order.name, customer_reference_number: 'PO-BL-1', status: 'TO_PLAN' });
    // Read at delivery, every one of them would show the last reference.
    const references = messages.filter((m) => m.events[0]?.update.type === 'Order').map((m) => m.order?.customer_reference_number);
    expect(references.filter((r, i) => r !== references[i - 1])).toEqual(['PO-BL-1', 'PO-BL-1a', 'PO-BL-1b']);
    const stops = messages.filter((m) => m.events[0]?.update.type === 'Stop');
    expect(stops.map((m) => [m.events[0]?.update.stop?.status, m.order?.stops.find((s) => s.id === ref('P1'))?.status])).toEqual([
      ['AT_STOP', 'AT_STOP'],
      ['COMPLETED', 'COMPLETED'],
    ]);
    // The POD came between the two: its message shows the stop still AT_STOP.
    const document = messages.find((m) => m.events[0]?.update.type === 'Document');
    expect(document?.order?.stops.find((s) => s.id === ref('P1'))?.status).toBe('AT_STOP');
  });
});
