import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { get } from '../orders/orders.fixtures.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops, type TripBody } from './trips.fixtures.js';

/**
 * The contract's booking webhooks: a location's slot booking system and an intermodal operator
 * report on the booking of a trip's stop; Waybill keeps what they said, shows it on the trip and
 * tells the order's customer.
 */

const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let hook: Client;
let order: OrderStops;
let trip: TripBody;
const ref = (r: string) => stopRef(r, order.stops);

interface Answer {
  errors: Array<{ error_type: string; error_message: string | null }>;
  results: Array<{ outcome: string; booking_id: string | null; message: string | null }>;
}

interface Booking {
  booking_id: string;
  kind: string;
  booking_name: string;
  status: string;
  booking_reference: string | null;
  references: Record<string, string | null> | null;
  execution_data: { execution_statuses: Array<{ event_time: string; ok: boolean; type: string; remark: string | null }>; skip_dispatch: boolean };
  failure: { error_type: string; error_message: string | null } | null;
  question_answers: Record<string, unknown>;
}

async function send(client: Client, url: string, updates: unknown[]): Promise<Answer> {
  const res = await ctx.app.inject({ method: 'POST', url, headers: { authorization: client.auth }, payload: { updates } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Answer;
}
const location = (updates: unknown[], client = hook) => send(client, '/v1/webhook/location-booking-update', updates);
const intermodal = (updates: unknown[], client = hook) => send(client, '/v1/webhook/intermodal-status', updates);
const bookings = async (client = admin, tripId = trip.id) => (await get(ctx, client, `/v1/trips/trip/${tripId}/bookings`)).json().items as Booking[];
const bookingOf = async (kind: string, stopId: string) => (await bookings()).find((b) => b.kind === kind && b.booking_id === stopId);

beforeAll(async () => {
  ({ ctx, admin } = world);
  hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  order = await orderWithStops(ctx, admin, 'BOOK-1');
  trip = await planTrip(ctx, admin, [ref('P1'), ref('P2'), ref('D1'), ref('D2')]);
});

describe('location booking updates', () => {
  it('books the slot of a stop by its id, keeps the execution statuses, and answers a repeat as DUPLICATE and an older report as STALE', async () => {
    const booked = {
      id: ref('D1'),
      event_time: '2026-12-01T09:00:00+01:00',
      status: 'BOOKED',
      execution_status: { execution_statuses: [{ event_time: '2026-12-01T07:55:00Z', ok: true, type: 'SLOT_CONFIRMED', remark: 'Dock 4' }] },
      question_answers: { dock: '4' },
    };
    expect(await location([booked])).toEqual({ errors: [], results: [{ outcome: 'APPLIED', booking_id: ref('D1'), message: null }] });
    expect((await location([booked])).results[0]?.outcome).toBe('DUPLICATE');
    const older = { id: ref('D1'), event_time: '2026-12-01T07:00:00Z', status: 'REQUESTED' };
    expect((await location([older])).results[0]?.outcome).toBe('STALE');

    const booking = await bookingOf('LOCATION', ref('D1'));
    expect(booking).toMatchObject({
      booking_name: trip.name,
      status: 'BOOKED',
      question_answers: { dock: '4' },
      execution_data: {
        execution_statuses: [{ event_time: '2026-12-01T07:55:00.000Z', ok: true, type: 'SLOT_CONFIRMED', remark: 'Dock 4' }],
        skip_dispatch: false,
      },
    });
  });

  it('merges a late execution status in time order without letting it overwrite the status', async () => {
    const late = {
      id: ref('D1'),
      event_time: '2026-12-01T07:30:00Z',
      status: 'CANCELLED',
      execution_status: { execution_statuses: [{ event_time: '2026-12-01T07:30:00Z', ok: true, type: 'REQUEST_RECEIVED' }] },
    };
    expect((await location([late])).results[0]?.outcome).toBe('APPLIED');
    const booking = await bookingOf('LOCATION', ref('D1'));
    expect(booking?.status).toBe('BOOKED');
    expect(booking?.execution_data.execution_statuses.map((s) => s.type)).toEqual(['REQUEST_RECEIVED', 'SLOT_CONFIRMED']);
  });

  it("attaches a document answer to the order, on the stop, and tells the order's customer", async () => {
    const content = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64');
    const update = {
      id: ref('P1'),
      event_time: '2026-12-01T10:00:00Z',
      status: 'BOOKED',
      question_answers: { POD: { embedded_document: { content, content_type: 'image/svg+xml', filename: 'slot.svg' } } },
    };
    expect((await location([update])).results[0]?.outcome).toBe('APPLIED');
    const documents = (await get(ctx, admin, `/v1/orders/order/${order.orderId}/documents`)).json() as Array<{ name: string }>;
    expect(documents.map((d) => d.name)).toContain('slot.svg');
    expect((await bookingOf('LOCATION', ref('P1')))?.question_answers).toEqual({});

    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: world.acmeId });
    const events = (await get(ctx, customer, '/v1/events?types=trip.booking_updated')).json().items as Array<{
      entity_id: string;
      payload: { booking: Booking };
    }>;
    expect(events.map((e) => e.payload.booking.booking_id)).toEqual(expect.arrayContaining([ref('D1'), ref('P1')]));
    expect(events.every((e) => e.entity_id === trip.id)).toBe(true);
  });
});

describe('intermodal booking status', () => {
  it("keeps the operator's reference and port references, then finds the booking by that reference", async () => {
    const first = {
      id: ref('P2'),
      event_time: '2026-12-01T18:05:00Z',
      booking_reference: 'ZEE-4471',
      references: { departure_reference_number: 'ZEE-881' },
      status: { booking_status: 'BOOKED', execution_statuses: [{ event_time: '2026-12-01T18:00:00Z', ok: true, type: 'GATE_IN' }] },
    };
    expect((await intermodal([first])).results[0]).toEqual({ outcome: 'APPLIED', booking_id: ref('P2'), message: null });
    const next = {
      match: { matches_all: [{ booking_reference: { matches_any: ['ZEE-4471'] } }, { name: { matches_any: [trip.name] } }] },
      event_time: '2026-12-01T21:00:00Z',
      references: { arrival_reference_number: 'IMM-12' },
      status: { execution_statuses: [{ event_time: '2026-12-01T20:55:00Z', ok: true, type: 'DEPARTED', remark: 'On time' }] },
      skip_dispatch: true,
    };
    expect((await intermodal([next])).results[0]?.booking_id).toBe(ref('P2'));
    const booking = await bookingOf('INTERMODAL', ref('P2'));
    expect(booking).toMatchObject({
      status: 'BOOKED',
      booking_reference: 'ZEE-4471',
      references: { departure_reference_number: 'ZEE-881', arrival_reference_number: 'IMM-12' },
      execution_data: { skip_dispatch: true },
    });
    expect(booking?.execution_data.execution_statuses.map((s) => s.type)).toEqual(['GATE_IN', 'DEPARTED']);
    // The trip's name alone names the one stop of the trip that has an intermodal booking.
    const byName = {
      match: { matches_all: [{ name: { matches_any: [trip.name] } }] },
      event_time: '2026-12-01T22:00:00Z',
      status: { execution_statuses: [{ event_time: '2026-12-01T21:58:00Z', ok: true, type: 'ARRIVED' }] },
    };
    expect((await intermodal([byName])).results[0]).toMatchObject({ outcome: 'APPLIED', booking_id: ref('P2') });
    // The stop's location booking is another booking: untouched.
    expect(await bookingOf('LOCATION', ref('P2'))).toBeUndefined();
  });

  it('takes the deprecated booking_id and timestamp, and keeps a failure until a later update without one', async () => {
    const failed = {
      booking_id: ref('D2'),
      timestamp: '2026-12-02T06:00:00Z',
      status: { failure: { error_type: 'USER_INPUT_ERROR', error_message: 'Vessel full' } },
    };
    expect((await intermodal([failed])).results[0]?.outcome).toBe('APPLIED');
    expect((await bookingOf('INTERMODAL', ref('D2')))?.failure).toEqual({ error_type: 'USER_INPUT_ERROR', error_message: 'Vessel full' });
    await intermodal([{ id: ref('D2'), event_time: '2026-12-02T07:00:00Z', status: { booking_status: 'BOOKED' } }]);
    expect(await bookingOf('INTERMODAL', ref('D2'))).toMatchObject({ failure: null, status: 'BOOKED' });
  });

  it('answers each update that cannot apply in errors and results, and applies the others of the batch', async () => {
    const answer = await intermodal([
      { id: ref('D2'), status: {} },
      { match: { matches_all: [{ name: { matches_any: [trip.name] } }] }, status: { booking_status: 'CANCELLED' } },
      { match: { matches_all: [{ booking_reference: { matches_any: ['NOPE'] } }] }, status: { booking_status: 'CANCELLED' } },
      { status: { booking_status: 'CANCELLED' } },
      { id: ref('D1'), event_time: '2026-12-03T07:00:00Z', status: { booking_status: 'REQUESTED' } },
    ]);
    expect(answer.results.map((r) => r.outcome)).toEqual(['REJECTED', 'AMBIGUOUS', 'UNMATCHED', 'REJECTED', 'APPLIED']);
    expect(answer.errors).toHaveLength(4);
    expect(answer.errors[0]).toEqual({ error_type: 'USER_INPUT_ERROR', error_message: expect.stringMatching(/^update 0: status needs one of booking_status/) });
    expect(answer.errors.map((e) => e.error_message?.slice(0, 8))).toEqual(['update 0', 'update 1', 'update 2', 'update 3']);
  });

  it('refuses a malformed body, a time without an offset and an unknown status with 400', async () => {
    const post = (payload: unknown) =>
      ctx.app.inject({ method: 'POST', url: '/v1/webhook/intermodal-status', headers: { authorization: hook.auth }, payload: payload as object });
    expectError(await post({ updates: [{ id: ref('D2'), event_time: '2026-12-01T10:00:00' }] }), 400);
    expectError(await post({ updates: [{ id: ref('D2'), status: { booking_status: 'MAYBE' } }] }), 400);
    expectError(await post({ updates: [{ id: 'not-a-uuid' }] }), 400);
    expectError(await post({}), 400);
  });
});

describe('who may report and see bookings', () => {
  it("answers another tenant's stop as unmatched and leaves it alone", async () => {
    const other = await newTenant(ctx, 'Other carrier');
    await newCompany(ctx, other, { name: 'Acme', code: 'ACME' });
    const theirs = await orderWithStops(ctx, other, 'BOOK-OTHER');
    const theirTrip = await planTrip(ctx, other, [stopRef('P1', theirs.stops)]);
    const stopId = stopRef('P1', theirs.stops);
    const answer = await location([{ id: stopId, status: 'CANCELLED' }]);
    expect(answer.results).toEqual([{ outcome: 'UNMATCHED', booking_id: null, message: expect.stringContaining(stopId) }]);
    expect((await intermodal([{ id: stopId, status: { booking_status: 'CANCELLED' } }])).results[0]?.outcome).toBe('UNMATCHED');
    expect(await bookings(other, theirTrip.id)).toEqual([]);
    // And their trip's bookings are not ours to list.
    expectError(await get(ctx, admin, `/v1/trips/trip/${theirTrip.id}/bookings`), 404);
  });

  it('takes only webhook Basic credentials of the tenant: a Bearer token is 401, a subcontractor webhook client 403', async () => {
    const update = { updates: [{ id: ref('D1'), status: 'BOOKED' }] };
    for (const url of ['/v1/webhook/location-booking-update', '/v1/webhook/intermodal-status']) {
      expectError(await ctx.app.inject({ method: 'POST', url, headers: { authorization: admin.auth }, payload: update }), 401);
      expectError(await ctx.app.inject({ method: 'POST', url, payload: update }), 401);
      const subcoId = await newCompany(ctx, admin, { name: `Subco ${url}`, code: url.slice(-8), is_customer: false, is_subcontractor: true });
      const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
      expectError(await ctx.app.inject({ method: 'POST', url, headers: { authorization: subco.auth }, payload: update }), 403);
    }
  });

  it("shows a trip's bookings to its subcontractor only, and none to a customer", async () => {
    const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL-B', is_customer: false, is_subcontractor: true });
    const rivalId = await newCompany(ctx, admin, { name: 'Rivals', code: 'RIVAL-B', is_customer: false, is_subcontractor: true });
    const dispatched = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '600' });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
    const rival = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: rivalId });
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: world.acmeId });
    expect((await bookings(subco)).length).toBe((await bookings()).length);
    expectError(await get(ctx, rival, `/v1/trips/trip/${trip.id}/bookings`), 404);
    expectError(await get(ctx, customer, `/v1/trips/trip/${trip.id}/bookings`), 403);
  });
});

describe('booking receivers', () => {
  interface Pushed {
    operation?: string;
    operations?: Array<{ operation: string; payload: { trip_name: string; orders: Array<Record<string, unknown>>; booking: Record<string, unknown> } }>;
    payload?: { id: string; orders: Array<Record<string, unknown>>; scenario: string; booking: Record<string, unknown> & { stops: Array<{ id: string }> } };
  }
  const pushed = (r: Receiver) => r.received.map((m) => JSON.parse(m.body) as Pushed);

  it("pushes each report as the contract's booking message, built from the booking as its GET showed it then, to those who may see it", async () => {
    const betaId = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
    const acmeOrder = await orderWithStops(ctx, admin, 'BOOK-PUSH-A');
    const betaOrder = await orderWithStops(ctx, admin, 'BOOK-PUSH-B', { customer: { code: 'BETA' } });
    const own = (r: string) => stopRef(r, acmeOrder.stops);
    const pushTrip = await planTrip(ctx, admin, [own('P1'), own('D1'), stopRef('P1', betaOrder.stops), stopRef('D1', betaOrder.stops)]);
    const subcoId = await newCompany(ctx, admin, { name: 'Rail Haulers', code: 'RAIL-H', is_customer: false, is_subcontractor: true });
    const rivalId = await newCompany(ctx, admin, { name: 'Rail Rivals', code: 'RAIL-R', is_customer: false, is_subcontractor: true });
    const dispatched = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${pushTrip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '700' });
    expect(dispatched.statusCode, dispatched.body).toBe(200);

    const both = ['location_booking', 'intermodal_booking'];
    const tenant = (await world.receiver(null, both)).receiver;
    const subco = (await world.receiver(subcoId, both)).receiver;
    const rival = (await world.receiver(rivalId, both)).receiver;
    const beta = (await world.receiver(betaId, both)).receiver;
    const acme = (await world.receiver(world.acmeId, ['location_booking'])).receiver;

    await location([{ id: own('D1'), event_time: '2026-12-02T08:00:00Z', status: 'BOOKED' }]);
    const bookedThen = (await bookings(admin, pushTrip.id)).find((b) => b.kind === 'LOCATION');
    await intermodal([{ id: own('P1'), event_time: '2026-12-02T08:05:00Z', booking_reference: 'RAIL-7', status: { booking_status: 'REQUESTED' } }]);
    await intermodal([
      {
        match: { matches_all: [{ booking_reference: { matches_any: ['RAIL-7'] } }] },
        event_time: '2026-12-02T09:00:00Z',
        references: { departure_reference_number: 'POL-1' },
        status: { execution_statuses: [{ event_time: '2026-12-02T08:55:00Z', ok: true, type: 'GATE_IN' }] },
      },
    ]);
    await location([{ id: own('D1'), event_time: '2026-12-02T10:00:00Z', status: 'CANCELLED' }]);
    const listed = await get(ctx, admin, `/v1/trips/trip/${pushTrip.id}/bookings`);
    expect(listed.statusCode, listed.body).toBe(200);
    const now = listed.json().items as Booking[];

    await eventually(() => tenant.distinctMessages >= 4 && subco.distinctMessages >= 4 && acme.distinctMessages >= 2);
    const messages = pushed(tenant);
    expect(messages.map((m) => m.operation ?? m.operations?.[0]?.operation)).toEqual(['CREATE', 'CREATE', 'UPDATE', 'CANCEL']);

    // Location: the contract's LocationDispatchOutput, with the booking as the GET showed it at that report.
    const [created, firstLeg, gateIn, cancelled] = messages as [Pushed, Pushed, Pushed, Pushed];
    for (const m of [created, cancelled]) expectContract('LocationDispatchOutput', m);
    expect(created.payload).toMatchObject({ id: pushTrip.id, name: pushTrip.name, scenario: 'INBOUND' });
    expect(created.payload?.booking).toMatchObject({
      booking_id: own('D1'),
      booking_name: pushTrip.name,
      status: 'BOOKED',
      execution_data: bookedThen?.execution_data,
      location: { city: 'Lyon' },
    });
    expect(created.payload?.booking.stops.map((s) => s.id)).toEqual([own('D1')]);
    expect(cancelled.payload?.booking.status).toBe('CANCELLED');

    // Intermodal: the contract's IntermodalBookingsPushPayload; the last one carries what the GET shows now.
    for (const m of [firstLeg, gateIn]) expectContract('IntermodalBookingsPushPayload', m);
    const leg = gateIn.operations?.[0]?.payload;
    const stored = now.find((b) => b.kind === 'INTERMODAL');
    expect(leg?.trip_name).toBe(pushTrip.name);
    expect(leg?.booking).toMatchObject({
      booking_id: own('P1'),
      booking_reference: 'RAIL-7',
      references: stored?.references,
      execution_data: stored?.execution_data,
      shipping_route: { start_stop: { reference_number: 'BOOK-PUSH-A-P1' }, end_stop: { reference_number: 'BOOK-PUSH-A-D1' } },
    });
    expect(firstLeg.operations?.[0]?.payload.booking.execution_data).toEqual({ execution_statuses: [], skip_dispatch: false });

    // Only the booked stop's order, never the other customer's on the same trip; the tenant sees its pricing.
    for (const m of messages) {
      const orders = m.payload?.orders ?? m.operations?.[0]?.payload.orders ?? [];
      expect(orders.map((o) => o.id)).toEqual([acmeOrder.orderId]);
      expect(orders[0]?.pricing).not.toBeNull();
    }

    // The trip's subcontractor gets the same messages without the customer's details or pricing.
    const forSubco = pushed(subco);
    expect(forSubco.length).toBe(4);
    for (const m of forSubco) {
      const order = (m.payload?.orders ?? m.operations?.[0]?.payload.orders ?? [])[0] as { pricing: unknown; customer: Record<string, unknown> };
      expect(order.pricing).toBeNull();
      expect(Object.keys(order.customer).sort()).toEqual(expect.arrayContaining(['code', 'id', 'name']));
      expect(Object.keys(order.customer).length).toBeLessThanOrEqual(4);
    }
    // The order's customer gets its own order's location messages; another subcontractor and another customer get nothing.
    expect(pushed(acme).map((m) => m.operation)).toEqual(['CREATE', 'CANCEL']);
    // Deliveries are written when events fan out, before any is sent: none were made for them.
    const endpoints = (await get(ctx, admin, '/v1/admin/webhook-endpoints')).json().items as Array<{ id: string; url: string }>;
    for (const outsider of [rival, beta]) {
      const endpoint = endpoints.find((e) => e.url === outsider.url);
      expect(endpoint).toBeDefined();
      expect((await get(ctx, admin, `/v1/admin/webhook-endpoints/${endpoint?.id}/deliveries`)).json().items).toEqual([]);
    }
    expect([...rival.received, ...beta.received]).toEqual([]);
  });
});
