import { Webhook } from 'standardwebhooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { get, realisticOrder, upload } from '../orders/orders.fixtures.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops, type TripBody } from './trips.fixtures.js';

const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
beforeAll(() => {
  ({ ctx, admin } = world);
});

interface DispatchMessage {
  operation: 'CREATE' | 'UPDATE' | 'CANCEL';
  payload: {
    id: string;
    name: string;
    orders: Array<{ id: string; status: string; consignments: Array<{ id: string; goods: unknown[] }> }>;
    stops: Array<{ id: string; date: string; status: string }>;
  };
  changes: Array<{ type: string; order_id?: string; stop_id?: string; consignment_id?: string }>;
}

/** A subcontractor company with its own dispatch receiver and API client. */
async function subcontractor(code: string, extra: Record<string, unknown> = {}) {
  const id = await newCompany(ctx, admin, { name: `Subco ${code}`, code, is_customer: false, is_subcontractor: true, ...extra });
  const { receiver, secret } = await world.receiver(id, ['subcontractor_dispatch']);
  const client = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: id });
  return { id, receiver, secret, client };
}

const messages = (r: Receiver) => r.received.map((m) => JSON.parse(m.body) as DispatchMessage);

async function dispatch(tripId: string, body: Record<string, unknown>) {
  const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${tripId}/dispatch`, body);
  expect(res.statusCode, res.body).toBe(200);
  expectContract('TripOutput', res.json());
  return res.json() as TripBody;
}

describe('dispatch to a subcontractor', () => {
  let first: OrderStops;
  let second: OrderStops;
  let trip: TripBody;
  let subco: Awaited<ReturnType<typeof subcontractor>>;

  beforeAll(async () => {
    first = await orderWithStops(ctx, admin, 'DSP-1');
    second = await orderWithStops(ctx, admin, 'DSP-2');
    subco = await subcontractor('SUB1');
    trip = await planTrip(ctx, admin, [stopRef('P1', first.stops), stopRef('D1', first.stops), stopRef('P1', second.stops), stopRef('D1', second.stops)]);
  });

  it('sends a signed, contract-valid CREATE with the full snapshot; stops and orders become DISPATCHED/PLANNED', async () => {
    const dispatched = await dispatch(trip.id, { subcontractor_id: subco.id, purchase_price: '450.00', currency: 'EUR' });
    expect(dispatched).toMatchObject({ status: 'PLANNED', executor: 'SUBCONTRACTOR', purchase_price: '450.00', currency: 'EUR' });
    expect(dispatched.stops.every((s) => s.status === 'DISPATCHED')).toBe(true);
    expect((await get(ctx, admin, `/v1/orders/order/${first.orderId}/status`)).json().status).toBe('TO_PLAN'); // P2/D2 are not planned
    await eventually(() => subco.receiver.received.length === 1);
    const received = subco.receiver.received[0];
    new Webhook(subco.secret).verify(received!.body, received!.headers as Record<string, string>);
    const [create] = messages(subco.receiver);
    expectContract('SubcontractorDispatch', create);
    expect(create?.operation).toBe('CREATE');
    expect(create?.payload.id).toBe(trip.id);
    expect(create?.payload.stops.map((s) => s.id)).toEqual(trip.stops.map((s) => s.id));
    expect(create?.payload.orders.map((o) => o.id).sort()).toEqual([first.orderId, second.orderId].sort());
    // The receiver answered {}: the dispatch is accepted.
    await eventually(async () => (await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`)).json().dispatch.status === 'ACCEPTED');
  });

  it('sends UPDATEs with the new snapshot and a changes list: a date moved, goods edited, an order removed', async () => {
    const d1 = stopRef('D1', first.stops);
    const keep = trip.stops.map((s) => ({ id: s.id }));
    const moved = await tripCall(ctx, admin, 'PATCH', `/v1/trips/trip/${trip.id}`, {
      stops: keep.map((s) => (s.id === d1 ? { ...s, date: '2026-12-05' } : s)),
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await eventually(() => subco.receiver.received.length === 2);
    const update = messages(subco.receiver)[1];
    expectContract('SubcontractorDispatch', update);
    expect(update?.operation).toBe('UPDATE');
    expect(update?.changes).toEqual([{ type: 'STOP_DATE_CHANGED', stop_id: d1, order_id: first.orderId }]);
    expect(update?.payload.stops.find((s) => s.id === d1)?.date).toBe('2026-12-05');

    // The customer changes the goods of the second order (same consignments, new quantities).
    const changed = realisticOrder('DSP-2', { operation: 'UPDATE' }) as { consignments: Array<{ goods: Array<Record<string, unknown>> }> };
    changed.consignments[0]!.goods[0]!.quantity = 20;
    const res = await upload(ctx, admin, changed);
    expect(res.json().upload_status, res.body).toBe('COMPLETED');
    await eventually(() => subco.receiver.received.length === 3);
    const cargo = messages(subco.receiver)[2];
    expectContract('SubcontractorDispatch', cargo);
    expect(cargo?.changes.map((c) => c.type)).toEqual(['CARGO_CHANGED']);
    expect(cargo?.changes[0]?.order_id).toBe(second.orderId);

    // The planner takes the second order off the trip.
    const removed = await tripCall(ctx, admin, 'PATCH', `/v1/trips/trip/${trip.id}`, { stops: [{ id: stopRef('P1', first.stops) }, { id: d1 }] });
    expect(removed.statusCode, removed.body).toBe(200);
    await eventually(() => subco.receiver.received.length === 4);
    const without = messages(subco.receiver)[3];
    expectContract('SubcontractorDispatch', without);
    expect(without?.payload.orders.map((o) => o.id)).toEqual([first.orderId]);
    expect(without?.changes.map((c) => c.type).sort()).toEqual(['ORDER_REMOVED', 'STOP_REMOVED', 'STOP_REMOVED']);
    expect((await get(ctx, admin, `/v1/orders/order/${second.orderId}/status`)).json().status).toBe('TO_PLAN');
  });

  it('an order cancelled by the customer shows as ORDER_CANCELLED with CANCELLED stops', async () => {
    const cancel = await upload(ctx, admin, { operation: 'DELETE', order_identifier: 'DSP-1', customer: { code: 'ACME' }, consignments: [] });
    expect(cancel.json().upload_status).toBe('COMPLETED');
    await eventually(() => subco.receiver.received.length === 5);
    const update = messages(subco.receiver)[4];
    expectContract('SubcontractorDispatch', update);
    expect(update?.changes).toContainEqual({ type: 'ORDER_CANCELLED', order_id: first.orderId });
    expect(update?.payload.stops.every((s) => s.status === 'CANCELLED')).toBe(true);
  });

  it('the subcontractor reads its trip, costs, documents and list; another subcontractor sees nothing', async () => {
    const own = await tripCall(ctx, subco.client, 'GET', `/v1/trips/trip/${trip.id}`);
    expect(own.statusCode).toBe(200);
    expectContract('TripOutput', own.json());
    const costs = await tripCall(ctx, subco.client, 'GET', `/v1/trips/trip/${trip.id}/costs`);
    expect(costs.statusCode).toBe(200);
    expectContract('TripCostsOutput', costs.json());
    expect(costs.json().charges).toEqual([{ description: `Subcontracting ${trip.name}`, amount: '450.00', currency: 'EUR', subcontractor_id: subco.id }]);
    const documents = await tripCall(ctx, subco.client, 'GET', `/v1/trips/trip/${trip.id}/documents`);
    expect(documents.statusCode).toBe(200);
    expect(documents.json()).toEqual([]);
    expect((await tripCall(ctx, subco.client, 'GET', '/v1/trips/trip')).json().items.map((t: TripBody) => t.id)).toEqual([trip.id]);

    const rival = await subcontractor('SUB2');
    for (const url of [`/v1/trips/trip/${trip.id}`, `/v1/trips/trip/${trip.id}/costs`, `/v1/trips/trip/${trip.id}/documents`]) {
      expect((await tripCall(ctx, rival.client, 'GET', url)).statusCode).toBe(404);
    }
    expect((await tripCall(ctx, rival.client, 'GET', '/v1/trips/trip')).json().items).toEqual([]);
    expect(rival.receiver.received).toEqual([]);
    expect((await tripCall(ctx, subco.client, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subco.id })).statusCode).toBe(403);
  });

  it('a trip taken away from one subcontractor sends it CANCEL and the new one CREATE; cancelling the trip sends CANCEL', async () => {
    const third = await orderWithStops(ctx, admin, 'DSP-3');
    const other = await planTrip(ctx, admin, [stopRef('P1', third.stops), stopRef('D1', third.stops)]);
    const a = await subcontractor('SUB3');
    const b = await subcontractor('SUB4');
    await dispatch(other.id, { subcontractor_id: a.id, purchase_price: 300 });
    await eventually(() => a.receiver.received.length === 1);
    await dispatch(other.id, { subcontractor_id: b.id, purchase_price: '320.5' });
    await eventually(() => a.receiver.received.length === 2 && b.receiver.received.length === 1);
    expect(messages(a.receiver).map((m) => m.operation)).toEqual(['CREATE', 'CANCEL']);
    expect(messages(b.receiver).map((m) => m.operation)).toEqual(['CREATE']);
    expect((await tripCall(ctx, a.client, 'GET', `/v1/trips/trip/${other.id}`)).statusCode).toBe(404);
    const cancelled = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${other.id}/cancel`);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await eventually(() => b.receiver.received.length === 2);
    const cancel = messages(b.receiver)[1];
    expectContract('SubcontractorDispatch', cancel);
    expect(cancel?.operation).toBe('CANCEL');
    expect((await get(ctx, admin, `/v1/orders/order/${third.orderId}/status`)).json().status).toBe('TO_PLAN');
  });

  it('a dispatch the receiver rejects (USER_INPUT_ERROR) is marked REJECTED with its errors and an event', async () => {
    const fourth = await orderWithStops(ctx, admin, 'DSP-4');
    const picky = await subcontractor('SUB5');
    picky.receiver.respond = () => ({ body: JSON.stringify({ errors: [{ error_type: 'USER_INPUT_ERROR', error_message: 'No trucks on that date' }] }) });
    const t = await planTrip(ctx, admin, [stopRef('P1', fourth.stops), stopRef('D1', fourth.stops)]);
    await dispatch(t.id, { subcontractor_id: picky.id });
    const rejected = await eventually(async () => {
      const body = (await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${t.id}`)).json() as TripBody;
      return body.dispatch.status === 'REJECTED' && body;
    });
    expect(rejected.dispatch.errors).toEqual([{ error_type: 'USER_INPUT_ERROR', error_message: 'No trucks on that date' }]);
    const events = await ctx.app.inject({ method: 'GET', url: '/v1/events?types=trip.dispatch_rejected', headers: { authorization: admin.auth } });
    expect(events.json().items.map((e: { entity_id: string }) => e.entity_id)).toEqual([t.id]);
  });

  it('refuses archived, blocked and non-subcontractor companies, and both kinds of executor at once', async () => {
    const five = await orderWithStops(ctx, admin, 'DSP-5');
    const t = await planTrip(ctx, admin, [stopRef('P1', five.stops)]);
    const blocked = await newCompany(ctx, admin, { name: 'Blocked', code: 'BLK', is_customer: false, is_subcontractor: true, status: 'BLOCKED' });
    const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${t.id}/dispatch`, { subcontractor_id: blocked });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/BLOCKED/);
    const customerOnly = await newCompany(ctx, admin, { name: 'Shop', code: 'SHOP' });
    expect((await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${t.id}/dispatch`, { subcontractor_id: customerOnly })).statusCode).toBe(400);
    const both = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${t.id}/dispatch`, {
      subcontractor_id: customerOnly,
      resources: [{ resource_type: 'DRIVER', id: '5b0e7f8a-52a6-4f77-9d0c-0c2b8f3e1a11' }],
    });
    expect(both.statusCode).toBe(400);
    const negative = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${t.id}/dispatch`, { subcontractor_id: blocked, purchase_price: '-1' });
    expect(negative.statusCode).toBe(400);
  });
});
