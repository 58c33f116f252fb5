import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { as } from '../support/requests.js';
import { get } from '../orders/orders.fixtures.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops } from './trips.fixtures.js';

/** Status updates that matched no stop: the tenant assigns them to a stop (which applies them) or dismisses them. */
const world = tripsWorld();
const BASE = '/v1/trips/unmatched-status-updates';
let ctx: TestContext;
let admin: Client;
let subco: Client;
let order: OrderStops;
let subcoId: string;

interface Unmatched {
  id: string;
  state: string;
  stop_id: string | null;
  outcome: string | null;
  dismiss_reason: string | null;
  settled_at: string | null;
  settled_by: string | null;
  update: { stop: Record<string, unknown> };
}

const ref = (r: string) => stopRef(r, order.stops);
const unknownOrder = (status: string, eventTime: string) => ({
  stop: { match: { matches_all: [{ order: { name: { matches_any: ['OR-NOPE'] } } }] }, status },
  event_time: eventTime,
});

/** Sends updates no stop matches; answers the kept updates, newest last. */
async function unmatched(...updates: unknown[]): Promise<Unmatched[]> {
  const before = (await as(admin).get(`${BASE}?limit=500`)).json().items.length as number;
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/webhook/subco-status-update', headers: { authorization: subco.auth }, payload: { updates } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(updates.map(() => 'UNMATCHED'));
  return (await as(admin).get(`${BASE}?limit=500`)).json().items.slice(before);
}

beforeAll(async () => {
  ({ ctx, admin } = world);
  subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
  order = await orderWithStops(ctx, admin, 'UNM-1');
  const trip = await planTrip(ctx, admin, [ref('P1'), ref('P2'), ref('D1'), ref('D2')]);
  const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '500' });
  expect(res.statusCode, res.body).toBe(200);
});

describe('unmatched status updates', () => {
  it('assigning one to a stop applies it as if it had matched, with its events, and records it', async () => {
    const [update] = await unmatched(unknownOrder('AT_STOP', '2026-12-01T08:30:00Z'));
    expect(update).toMatchObject({ state: 'OPEN', stop_id: null, outcome: null, settled_at: null });
    const open = (await as(admin).get(`${BASE}?state=OPEN`)).json().items.map((u: Unmatched) => u.id);
    expect(open).toContain(update!.id);

    const res = await as(admin).post(`${BASE}/${update!.id}/assign`, { stop_id: ref('P1') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'ASSIGNED', stop_id: ref('P1'), outcome: 'APPLIED', settled_by: admin.apiClientId });
    expect(res.json().settled_at).toEqual(expect.any(String));

    const status = (await get(ctx, admin, `/v1/orders/order/${order.orderId}/status`)).json();
    expect(status.status).toBe('IN_TRANSIT');
    expect(status.stops.find((s: { id: string }) => s.id === ref('P1'))).toMatchObject({ status: 'AT_STOP', start_timestamp: '2026-12-01T08:30:00.000Z' });
    const events = (await as(admin).get('/v1/events?types=stop.arrived,status_update.*')).json().items;
    expect(events.map((e: { type: string; entity_id: string }) => [e.type, e.entity_id]).slice(-2)).toEqual([
      ['stop.arrived', order.orderId],
      ['status_update.assigned', update!.id],
    ]);
    expect((await as(admin).get(`${BASE}/${update!.id}`)).json()).toEqual(res.json());
    expect((await as(admin).get(`${BASE}?state=OPEN`)).json().items.map((u: Unmatched) => u.id)).not.toContain(update!.id);
    expect((await as(admin).get(`${BASE}?state=ASSIGNED`)).json().items.map((u: Unmatched) => u.id)).toContain(update!.id);
  });

  it('an update the stop is already past is assigned as STALE and changes nothing; a settled one cannot be settled again', async () => {
    const [late] = await unmatched(unknownOrder('AT_STOP', '2026-12-01T07:00:00Z'));
    const res = await as(admin).post(`${BASE}/${late!.id}/assign`, { stop_id: ref('P1') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'ASSIGNED', outcome: 'STALE' });
    const stop = (await get(ctx, admin, `/v1/orders/order/${order.orderId}/status`)).json().stops.find((s: { id: string }) => s.id === ref('P1'));
    expect(stop.start_timestamp).toBe('2026-12-01T08:30:00.000Z');
    expectError(await as(admin).post(`${BASE}/${late!.id}/assign`, { stop_id: ref('P2') }), 409);
    expectError(await as(admin).post(`${BASE}/${late!.id}/dismiss`, { reason: 'late' }), 409);
  });

  it('dismisses one with a reason; a stop off every live trip is a 404 and leaves the update open', async () => {
    const [first, second] = await unmatched(unknownOrder('COMPLETED', '2026-12-02T10:00:00Z'), unknownOrder('AT_STOP', '2026-12-02T11:00:00Z'));
    expectError(await as(admin).post(`${BASE}/${first!.id}/dismiss`, { reason: '' }), 400);
    const dismissed = await as(admin).post(`${BASE}/${first!.id}/dismiss`, { reason: 'Test message from the subcontractor' });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json()).toMatchObject({ state: 'DISMISSED', dismiss_reason: 'Test message from the subcontractor', stop_id: null });
    const other = await orderWithStops(ctx, admin, 'UNM-2');
    expectError(await as(admin).post(`${BASE}/${second!.id}/assign`, { stop_id: other.stops[0]!.id }), 404);
    expectError(await as(admin).post(`${BASE}/${second!.id}/assign`, { stop_id: 'not-a-uuid' }), 400);
    expect((await as(admin).get(`${BASE}/${second!.id}`)).json().state).toBe('OPEN');
    const last = (await as(admin).get('/v1/events?types=status_update.dismissed')).json().items.at(-1);
    expect(last).toMatchObject({ entity_id: first!.id, payload: { reason: 'Test message from the subcontractor' } });
    // A cursor keeps its state filter.
    const page = (await as(admin).get(`${BASE}?state=DISMISSED&limit=1`)).json();
    expect(page.items.map((u: Unmatched) => u.state)).toEqual(['DISMISSED']);
  });

  it('only the tenant sees or settles them: customers, subcontractors, WEBHOOK clients and other tenants cannot', async () => {
    const [update] = await unmatched(unknownOrder('AT_STOP', '2026-12-03T09:00:00Z'));
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: world.acmeId });
    const subcoApi = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
    for (const client of [customer, subcoApi, subco]) {
      expectError(await as(client).get(BASE), 403);
      expectError(await as(client).get(`${BASE}/${update!.id}`), 403);
      expectError(await as(client).post(`${BASE}/${update!.id}/assign`, { stop_id: ref('D1') }), 403);
      expectError(await as(client).post(`${BASE}/${update!.id}/dismiss`, { reason: 'no' }), 403);
    }
    const stranger = await newTenant(ctx, 'Other carrier');
    expectError(await as(stranger).get(`${BASE}/${update!.id}`), 404);
    expectError(await as(stranger).post(`${BASE}/${update!.id}/dismiss`, { reason: 'no' }), 404);
    expect((await as(stranger).get(BASE)).json().items).toEqual([]);
    // Their events stay the tenant's: neither the customer nor the subcontractor reads them in the feed.
    for (const client of [customer, subcoApi]) {
      const types = (await as(client).get('/v1/events?limit=1000')).json().items.map((e: { type: string }) => e.type);
      expect(types.filter((t: string) => t.startsWith('status_update.'))).toEqual([]);
    }
    expect((await as(admin).get(`${BASE}/${update!.id}`)).json().state).toBe('OPEN');
  });
});
