import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { get, ordersWorld, upload } from '../orders/orders.fixtures.js';
import { orderWithStops, planTrip, stopRef, tripCall, type OrderStops, type TripBody } from './trips.fixtures.js';

let ctx: TestContext;
let admin: Client;

beforeAll(async () => {
  ({ ctx, admin } = await ordersWorld());
});
afterAll(async () => {
  await ctx.close();
});

const orderStatus = async (orderId: string) => (await get(ctx, admin, `/v1/orders/order/${orderId}/status`)).json().status as string;

describe('trip planning', () => {
  let order: OrderStops;
  let trip: TripBody;

  beforeAll(async () => {
    order = await orderWithStops(ctx, admin, 'PLAN-1');
  });

  it('plans a trip from order stops in the given sequence; stops become PLANNED and so does the order', async () => {
    const ids = ['P1', 'P2', 'D1', 'D2'].map((r) => stopRef(r, order.stops));
    trip = await planTrip(ctx, admin, ids);
    expect(trip.name).toMatch(/^TR-\d{6}$/);
    expect(trip.status).toBe('CREATED');
    expect(trip.stops.map((s) => s.id)).toEqual(ids);
    expect(trip.stops.every((s) => s.status === 'PLANNED' && s.order.row_id === order.orderId)).toBe(true);
    expect(trip.orders).toEqual([{ id: order.orderId, name: order.name }]);
    expect(await orderStatus(order.orderId)).toBe('PLANNED');

    const fetched = await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`);
    expect(fetched.statusCode).toBe(200);
    expectContract('TripOutput', fetched.json());
    expect(fetched.headers.etag).toBe(`"${trip.version}"`);
  });

  it('refuses a stop that is already on another live trip (409)', async () => {
    const res = await tripCall(ctx, admin, 'POST', '/v1/trips/trip', { stops: [{ id: stopRef('P1', order.stops) }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].message).toContain(trip.name);
  });

  it('refuses a delivery before its pickup, unknown and repeated stops (400)', async () => {
    const other = await orderWithStops(ctx, admin, 'PLAN-2');
    const backwards = await tripCall(ctx, admin, 'POST', '/v1/trips/trip', { stops: [{ id: stopRef('D1', other.stops) }, { id: stopRef('P1', other.stops) }] });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().message).toMatch(/pickup must come before its delivery/);
    const unknown = await tripCall(ctx, admin, 'POST', '/v1/trips/trip', { stops: [{ id: '00000000-0000-4000-8000-000000000000' }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('stops.0.id');
    const twice = await tripCall(ctx, admin, 'POST', '/v1/trips/trip', { stops: [{ id: stopRef('P1', other.stops) }, { id: stopRef('P1', other.stops) }] });
    expect(twice.statusCode).toBe(400);
    const empty = await tripCall(ctx, admin, 'POST', '/v1/trips/trip', { stops: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors.length).toBeGreaterThan(0);
  });

  it('refuses the stops of a cancelled order (409)', async () => {
    const doomed = await orderWithStops(ctx, admin, 'PLAN-3');
    const cancel = await upload(ctx, admin, { operation: 'DELETE', order_identifier: 'PLAN-3', customer: { code: 'ACME' }, consignments: [] });
    expect(cancel.json().upload_status).toBe('COMPLETED');
    const res = await tripCall(ctx, admin, 'POST', '/v1/trips/trip', { stops: [{ id: stopRef('P1', doomed.stops) }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/cancelled/);
  });

  it('changes stops, sequence, dates and time windows with PATCH; a stale If-Match loses with 412', async () => {
    const d2 = stopRef('D2', order.stops);
    const p2 = stopRef('P2', order.stops);
    const body = {
      stops: [
        { id: stopRef('P1', order.stops) },
        { id: stopRef('D1', order.stops), date: '2026-12-04', time_window: { start_time: '10:00', end_time: '14:00' } },
      ],
    };
    const res = await tripCall(ctx, admin, 'PATCH', `/v1/trips/trip/${trip.id}`, body, { 'if-match': `"${trip.version}"` });
    expect(res.statusCode, res.body).toBe(200);
    expectContract('TripOutput', res.json());
    const patched = res.json() as TripBody;
    expect(patched.version).toBeGreaterThan(trip.version);
    expect(patched.stops.map((s) => s.id)).toEqual(body.stops.map((s) => s.id));
    expect(patched.stops[1]).toMatchObject({ date: '2026-12-04', time_window: { start_time: '10:00', end_time: '14:00' } });
    // The stops taken off the trip are to plan again, and the order is no longer fully planned.
    const status = (await get(ctx, admin, `/v1/orders/order/${order.orderId}/status`)).json();
    expect(status.stops.find((s: { id: string }) => s.id === d2).status).toBe('TO_PLAN');
    expect(status.stops.find((s: { id: string }) => s.id === p2).status).toBe('TO_PLAN');
    expect(status.status).toBe('TO_PLAN');

    const stale = await tripCall(ctx, admin, 'PATCH', `/v1/trips/trip/${trip.id}`, { stops: [{ id: p2 }] }, { 'if-match': `"${trip.version}"` });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().errors.length).toBeGreaterThan(0);
    trip = patched;
  });

  it('two planners editing one trip at once: exactly one wins', async () => {
    const p2 = stopRef('P2', order.stops);
    const d2 = stopRef('D2', order.stops);
    const base = trip.stops.map((s) => ({ id: s.id }));
    const results = await Promise.all([
      tripCall(ctx, admin, 'PATCH', `/v1/trips/trip/${trip.id}`, { stops: [...base, { id: p2 }] }, { 'if-match': `"${trip.version}"` }),
      tripCall(ctx, admin, 'PATCH', `/v1/trips/trip/${trip.id}`, { stops: [...base, { id: p2 }, { id: d2 }] }, { 'if-match': `"${trip.version}"` }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    trip = (await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`)).json();
  });

  it('lists trips with filters and cursor pages', async () => {
    const second = await orderWithStops(ctx, admin, 'PLAN-4');
    const other = await planTrip(ctx, admin, [stopRef('P1', second.stops), stopRef('D1', second.stops)]);
    const first = await tripCall(ctx, admin, 'GET', '/v1/trips/trip?limit=1');
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((t: TripBody) => t.id)).toEqual([trip.id]);
    for (const item of page1.items) expectContract('TripOutput', item);
    const next = await tripCall(ctx, admin, 'GET', `/v1/trips/trip?cursor=${page1.next_cursor}`);
    expect(next.json().items.map((t: TripBody) => t.id)).toEqual([other.id]);
    expect(next.json().next_cursor).toBeNull();
    const byDate = await tripCall(ctx, admin, 'GET', '/v1/trips/trip?date_from=2026-12-04&date_to=2026-12-31');
    expect(byDate.json().items.map((t: TripBody) => t.id)).toEqual([trip.id]);
    const created = await tripCall(ctx, admin, 'GET', '/v1/trips/trip?status=PLANNED');
    expect(created.json().items).toEqual([]);
    const badCursor = await tripCall(ctx, admin, 'GET', '/v1/trips/trip?cursor=nonsense');
    expect(badCursor.statusCode).toBe(400);
  });

  it('cancels a trip: its stops are free again, a second cancel answers the same, no change after it', async () => {
    const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/cancel`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().cancelled).toBe(true);
    expectContract('TripOutput', res.json());
    expect(await orderStatus(order.orderId)).toBe('TO_PLAN');
    const again = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/cancel`);
    expect(again.statusCode).toBe(200);
    const patch = await tripCall(ctx, admin, 'PATCH', `/v1/trips/trip/${trip.id}`, { stops: [{ id: stopRef('P1', order.stops) }] });
    expect(patch.statusCode).toBe(409);
    // The freed stops can be planned on a new trip.
    await planTrip(ctx, admin, [stopRef('P1', order.stops)]);
  });

  it("isolation: other tenants, customers and subcontractors cannot see or plan this tenant's trips", async () => {
    const otherTenant = await ctx.services.auth.createTenant('Other carrier');
    const otherAdmin = await newClient(ctx, otherTenant.id, 'TENANT');
    expect((await tripCall(ctx, otherAdmin, 'GET', `/v1/trips/trip/${trip.id}`)).statusCode).toBe(404);
    expect((await tripCall(ctx, otherAdmin, 'GET', '/v1/trips/trip')).json().items).toEqual([]);
    const planOther = await tripCall(ctx, otherAdmin, 'POST', '/v1/trips/trip', { stops: [{ id: stopRef('P2', order.stops) }] });
    expect(planOther.statusCode).toBe(400);
    const acme = (await get(ctx, admin, `/v1/orders/order/${order.orderId}`)).json().customer.id as string;
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acme });
    expect((await tripCall(ctx, customer, 'GET', `/v1/trips/trip/${trip.id}`)).statusCode).toBe(403);
    expect((await tripCall(ctx, customer, 'POST', '/v1/trips/trip', { stops: [{ id: stopRef('P2', order.stops) }] })).statusCode).toBe(403);
    const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
    expect((await tripCall(ctx, subco, 'GET', `/v1/trips/trip/${trip.id}`)).statusCode).toBe(404);
    expect((await tripCall(ctx, subco, 'GET', '/v1/trips/trip')).json().items).toEqual([]);
    expect((await tripCall(ctx, subco, 'POST', `/v1/trips/trip/${trip.id}/cancel`)).statusCode).toBe(403);
  });
});
