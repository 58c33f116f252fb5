import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { as } from '../support/requests.js';
import { eventually } from '../support/webhook-receiver.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld } from '../trips/trips.fixtures.js';

/**
 * GET /v1/overview: every figure is checked against the list it links to, which must show exactly
 * the rows counted; and the new list filters (failed deliveries across endpoints, disabled
 * endpoints) keep each company to its own.
 */
const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let customer: Client;
let customerEndpointId: string;
const DAY = '2026-12-01';

interface Figure {
  count: number;
  list: { operation_id: string; path: string; query: Record<string, string>; href: string };
}

/** How many rows the list behind a figure shows, over every page. */
async function rowsBehind(client: Client, figure: Figure): Promise<number> {
  let rows = 0;
  let url = `${figure.list.href}&limit=2`;
  for (;;) {
    const res = await as(client).get(url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    const page = res.json();
    rows += (page.items ?? page.tasks).length;
    if (!page.next_cursor) return rows;
    url = `${figure.list.path}?cursor=${encodeURIComponent(page.next_cursor)}&limit=2`;
  }
}

beforeAll(async () => {
  ({ ctx, admin } = world);
  customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: world.acmeId });
  // Orders with stops on the day, and one planned trip under way.
  const first = await orderWithStops(ctx, admin, 'OV-1');
  await orderWithStops(ctx, admin, 'OV-2');
  await orderWithStops(ctx, admin, 'OV-3', {});
  const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  const trip = await planTrip(ctx, admin, [stopRef('P1', first.stops), stopRef('D1', first.stops)]);
  expect((await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '300' })).statusCode).toBe(200);
  // A tenant receiver that always fails, and a customer's endpoint that is disabled.
  const failing = await world.receiver(null, ['events']);
  failing.receiver.respond = () => ({ status: 500, body: 'down' });
  const mine = await as(customer).post('/v1/admin/webhook-endpoints', { url: failing.receiver.url, families: ['events'] });
  expect(mine.statusCode, mine.body).toBe(201);
  customerEndpointId = mine.json().id;
  await as(admin).patch(`/v1/companies/company/${world.acmeId}`, { name: 'Acme Inc' });
  await eventually(async () => (await as(customer).get('/v1/admin/webhook-deliveries?status=FAILED')).json().items.length >= 1);
  await as(admin).post(`/v1/admin/webhook-endpoints/${customerEndpointId}/disable`);
  // Two status updates that matched nothing.
  const hook = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
  const miss = { stop: { match: { matches_all: [{ order: { name: { matches_any: ['OR-NONE'] } } }] }, status: 'AT_STOP' }, event_time: `${DAY}T08:00:00Z` };
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/webhook/subco-status-update',
    headers: { authorization: hook.auth },
    payload: { updates: [miss, miss] },
  });
  expect(res.statusCode).toBe(200);
  // Figures and lists are compared once nothing is on its way any more.
  await eventually(async () => (await as(admin).get('/v1/admin/webhook-deliveries?status=PENDING')).json().items.length === 0, 60_000);
});

describe('GET /v1/overview', () => {
  it("counts what needs attention, and each figure's list shows exactly those rows", async () => {
    const res = await as(admin).get(`/v1/overview?date=${DAY}`);
    expect(res.statusCode, res.body).toBe(200);
    const overview = res.json();
    expect(overview.date).toBe(DAY);
    expect(overview.orders_today.total).toBe(3);
    expect(overview.orders_today.by_status.map((s: { status: string }) => s.status)).toEqual([
      'QUOTE',
      'TO_PLAN',
      'PLANNED',
      'IN_TRANSIT',
      'COMPLETED',
      'CANCELLED',
    ]);
    expect(overview.trips_under_way.count).toBe(1);
    expect(overview.deliveries_failing.count).toBeGreaterThanOrEqual(1);
    expect(overview.endpoints_disabled.count).toBe(1);
    expect(overview.unmatched_status_updates.count).toBe(2);
    expect(overview.sync_tasks_failed.count).toBe(0);
    const figures: Figure[] = [
      ...overview.orders_today.by_status,
      overview.trips_under_way,
      overview.deliveries_failing,
      overview.endpoints_disabled,
      overview.sync_tasks_failed,
      overview.unmatched_status_updates,
    ];
    for (const figure of figures) expect(await rowsBehind(admin, figure), figure.list.href).toBe(figure.count);
    // A day without stops counts no orders and no trips under way yet.
    const before = (await as(admin).get('/v1/overview?date=2026-11-01')).json();
    expect([before.orders_today.total, before.trips_under_way.count]).toEqual([0, 0]);
    expect((await as(admin).get('/v1/overview')).json().date).toBe(new Date().toISOString().slice(0, 10));
    expectError(await as(admin).get('/v1/overview?date=tomorrow'), 400);
  });

  it('is for tenant clients only; another tenant counts its own', async () => {
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', {
      companyId: await newCompany(ctx, admin, { name: 'S2', code: 'S2', is_subcontractor: true }),
    });
    const hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    for (const client of [customer, subco, hook]) expectError(await as(client).get('/v1/overview'), 403);
    const stranger = (await as(await newTenant(ctx, 'Other')).get(`/v1/overview?date=${DAY}`)).json();
    expect([stranger.orders_today.total, stranger.trips_under_way.count, stranger.endpoints_disabled.count, stranger.unmatched_status_updates.count]).toEqual([
      0, 0, 0, 0,
    ]);
  });
});

describe('the lists behind it', () => {
  it("a customer sees only its own endpoints' deliveries and disabled endpoints", async () => {
    const all = (await as(admin).get('/v1/admin/webhook-deliveries?limit=500')).json().items;
    expect(new Set(all.map((d: { endpoint_id: string }) => d.endpoint_id)).size).toBeGreaterThanOrEqual(2);
    const own = (await as(customer).get('/v1/admin/webhook-deliveries?limit=500')).json().items;
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((d: { endpoint_id: string }) => d.endpoint_id === customerEndpointId)).toBe(true);
    expect((await as(customer).get('/v1/admin/webhook-endpoints?enabled=false')).json().items.map((e: { id: string }) => e.id)).toEqual([customerEndpointId]);
    expect((await as(customer).get('/v1/admin/webhook-endpoints?enabled=true')).json().items).toEqual([]);
    const stranger = await newTenant(ctx, 'Another');
    expect((await as(stranger).get('/v1/admin/webhook-deliveries')).json().items).toEqual([]);
    const hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    expectError(await as(hook).get('/v1/admin/webhook-deliveries'), 403);
    // A cursor keeps the status filter, and refuses another beside it.
    const page = (await as(admin).get('/v1/admin/webhook-deliveries?status=FAILED&limit=1')).json();
    if (page.next_cursor) expectError(await as(admin).get(`/v1/admin/webhook-deliveries?status=SUCCEEDED&cursor=${page.next_cursor}`), 400);
  });

  it('lists orders with a stop on a day, per status', async () => {
    const res = (await as(admin).get(`/v1/orders/order?stop_date=${DAY}&status=TO_PLAN`)).json();
    expect(res.items.every((o: { status: string }) => o.status === 'TO_PLAN')).toBe(true);
    expect((await as(customer).get(`/v1/orders/order?stop_date=${DAY}`)).json().items.length).toBe(3);
    expect((await as(admin).get('/v1/orders/order?stop_date=2026-11-30')).json().items).toEqual([]);
  });
});
