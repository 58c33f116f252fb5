import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { get } from '../orders/orders.fixtures.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops, type TripBody } from './trips.fixtures.js';

const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let acmeId: string;
beforeAll(() => {
  ({ ctx, admin, acmeId } = world);
});

interface Result {
  outcome: string;
  stop_id: string | null;
  message: string | null;
}

async function post(client: Client, updates: unknown[], url = '/v1/webhook/subco-status-update'): Promise<Result[]> {
  const res = await ctx.app.inject({ method: 'POST', url, headers: { authorization: client.auth }, payload: { updates } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().results as Result[];
}

interface Visibility {
  events: Array<{
    update: { type: string; id: string | null; status?: string; stop?: { id: string; status: string }; stops?: Array<{ id: string; eta_start_time: string }> };
  }>;
  order: { id: string; status: string; stops: Array<{ id: string; status: string }> } | null;
  trip: { id: string; stops: Array<{ id: string }> } | null;
}

describe('execution status from a subcontractor', () => {
  let order: OrderStops;
  let trip: TripBody;
  let subco: Client;
  let rival: Client;
  let subcoId: string;
  let customer: Receiver;
  const ref = (r: string) => stopRef(r, order.stops);

  beforeAll(async () => {
    customer = (await world.receiver(acmeId, ['operational_visibility'])).receiver;
    subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
    const rivalId = await newCompany(ctx, admin, { name: 'Rivals', code: 'RIVAL', is_customer: false, is_subcontractor: true });
    subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
    rival = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: rivalId, kind: 'WEBHOOK' });
    order = await orderWithStops(ctx, admin, 'EXE-1');
    trip = await planTrip(ctx, admin, [ref('P1'), ref('P2'), ref('D1'), ref('D2')]);
    const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '600' });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('moves a stop by id; the same update twice applies once; the order goes IN_TRANSIT', async () => {
    const arrival = { stop: { id: ref('P1'), status: 'AT_STOP' }, event_time: '2026-12-01T08:30:00+01:00' };
    expect(await post(subco, [arrival])).toEqual([{ outcome: 'APPLIED', stop_id: ref('P1'), message: null }]);
    expect((await post(subco, [arrival]))[0]?.outcome).toBe('DUPLICATE');
    const done = await post(subco, [{ stop: { id: ref('P1'), status: 'COMPLETED' }, event_time: '2026-12-01T09:10:00Z' }], '/v1/webhook/status');
    expect(done[0]?.outcome).toBe('APPLIED');
    const status = (await get(ctx, admin, `/v1/orders/order/${order.orderId}/status`)).json();
    expect(status.status).toBe('IN_TRANSIT');
    expect(status.stops.find((s: { id: string }) => s.id === ref('P1'))).toMatchObject({
      status: 'COMPLETED',
      start_timestamp: '2026-12-01T07:30:00.000Z',
      end_timestamp: '2026-12-01T09:10:00.000Z',
    });
  });

  it('matches a stop when every criterion names exactly one; ambiguous and unmatched updates are answered and kept', async () => {
    const byMatch = await post(subco, [
      {
        stop: {
          match: {
            matches_all: [
              { trip: { name: { matches_any: [trip.name] } }, consignment: { reference_number: { matches_any: ['EXE-1-C2'] } }, stop: { stop_type: 'PICKUP' } },
            ],
          },
          status: 'COMPLETED',
        },
        event_time: '2026-12-01T09:40:00Z',
      },
      {
        stop: { match: { matches_all: [{ order: { customer_reference_number: { matches_any: ['PO-EXE-1'] } } }] }, status: 'AT_STOP' },
        event_time: '2026-12-01T10:00:00Z',
      },
      { stop: { match: { matches_all: [{ order: { name: { matches_any: ['OR-999999'] } } }] }, status: 'AT_STOP' }, event_time: '2026-12-01T10:00:00Z' },
    ]);
    expect(byMatch.map((r) => r.outcome)).toEqual(['APPLIED', 'AMBIGUOUS', 'UNMATCHED']);
    expect(byMatch[0]?.stop_id).toBe(ref('P2'));
    const unmatched = await tripCall(ctx, admin, 'GET', '/v1/trips/unmatched-status-updates');
    expect(unmatched.statusCode).toBe(200);
    expect(unmatched.json().items.map((u: { reason: string }) => u.reason)).toEqual(['AMBIGUOUS', 'UNMATCHED']);
    const subcoApi = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
    expect((await tripCall(ctx, subcoApi, 'GET', '/v1/trips/unmatched-status-updates')).statusCode).toBe(403);
  });

  it('never moves a stop backwards: an older or lesser report is STALE', async () => {
    const results = await post(subco, [
      { stop: { id: ref('D1'), status: 'COMPLETED' }, event_time: '2026-12-02T11:00:00Z' },
      { stop: { id: ref('D1'), status: 'AT_STOP' }, event_time: '2026-12-02T10:00:00Z' },
      { stop: { id: ref('D1'), status: 'COMPLETED' }, event_time: '2026-12-02T10:30:00Z' },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['APPLIED', 'STALE', 'STALE']);
    const stop = (await get(ctx, admin, `/v1/orders/order/${order.orderId}/status`)).json().stops.find((s: { id: string }) => s.id === ref('D1'));
    expect(stop).toMatchObject({ status: 'COMPLETED', end_timestamp: '2026-12-02T11:00:00.000Z' });
  });

  it("accepts the reference's own examples (by id, by order reference and stop type, by trip name and consignment)", async () => {
    const examples = [
      { stop: { id: 'a1b2c3d4-0000-0000-0000-000000000000', status: 'AT_STOP' }, event_time: '2025-06-15T10:30:00Z' },
      {
        stop: {
          match: { matches_all: [{ order: { customer_reference_number: { matches_any: ['REF-12345'] } }, stop: { stop_type: 'DELIVERY' } }] },
          status: 'COMPLETED',
        },
        event_time: '2025-06-15T14:00:00Z',
      },
      {
        stop: {
          match: { matches_all: [{ trip: { name: { matches_any: ['T-20250615-001'] } }, consignment: { reference_number: { matches_any: ['CONS-98765'] } } }] },
          status: 'AT_STOP',
          eta_end: '2025-06-15T16:00:00Z',
        },
        event_time: '2025-06-15T14:30:00Z',
      },
    ];
    // Valid input; nothing on this subcontractor's trips carries those references.
    expect((await post(subco, examples)).map((r) => r.outcome)).toEqual(['UNMATCHED', 'UNMATCHED', 'UNMATCHED']);
  });

  it('another subcontractor can neither see nor update this trip; bad input is a 400', async () => {
    const results = await post(rival, [
      { stop: { id: ref('D2'), status: 'AT_STOP' }, event_time: '2026-12-03T08:00:00Z' },
      {
        stop: { match: { matches_all: [{ stop: { reference_number: { matches_any: ['EXE-1-D2'] } } }] }, status: 'AT_STOP' },
        event_time: '2026-12-03T08:00:00Z',
      },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['UNMATCHED', 'UNMATCHED']);
    const noOffset = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/subco-status-update',
      headers: { authorization: subco.auth },
      payload: { updates: [{ stop: { id: ref('D2'), status: 'AT_STOP' }, event_time: '2026-12-03T08:00:00' }] },
    });
    expect(noOffset.statusCode).toBe(400);
    const bearer = await newClient(ctx, admin.tenantId, 'TENANT');
    const wrongAuth = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/subco-status-update',
      headers: { authorization: bearer.auth },
      payload: { updates: [] },
    });
    expect(wrongAuth.statusCode).toBe(401);
  });

  it('the subcontractor uploads a POD for a stop: stored on the stop, listed with the order, the customer downloads it', async () => {
    const pdf = Buffer.from('%PDF-1.4 proof of delivery');
    const upload = (client: Client, stopId: string, key = 'POD') =>
      ctx.app.inject({
        method: 'POST',
        url: `/v1/webhook/subco-document-upload?question_path_key=${key}&stop_id=${stopId}`,
        headers: { authorization: client.auth, 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="cmr-4711.pdf"' },
        payload: pdf,
      });
    const res = await upload(subco, ref('D1'));
    expect(res.statusCode, res.body).toBe(200);
    const documentId = res.json().document_id as string;
    expect((await upload(rival, ref('D1'))).statusCode).toBe(404);
    expect((await upload(subco, ref('D1'), 'NOT_A_KIND')).statusCode).toBe(400);

    const customerClient = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
    const listed = (await get(ctx, customerClient, `/v1/orders/order/${order.orderId}/documents`)).json() as Array<Record<string, unknown>>;
    expect(listed).toHaveLength(1);
    expectContract('Document', listed[0]);
    expect(listed[0]).toMatchObject({ id: documentId, name: 'cmr-4711_POD.pdf', type: 'PROOF_OF_DELIVERY', subject_type: 'STOP' });
    const download = await get(ctx, customerClient, `/v1/documents/document/${documentId}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(pdf)).toBe(true);
    const subcoApi = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
    const onTrip = (await tripCall(ctx, subcoApi, 'GET', `/v1/trips/trip/${trip.id}/documents`)).json() as Array<{ id: string }>;
    expect(onTrip.map((d) => d.id)).toEqual([documentId]);
  });

  it('an ETA, then the last delivery: the order and the trip complete; the customer got each moment as it was', async () => {
    const eta = await post(subco, [
      { stop: { id: ref('D2'), eta_start: '2026-12-03T09:00:00+01:00', eta_end: '2026-12-03T09:30:00+01:00' }, event_time: '2026-12-03T06:00:00Z' },
    ]);
    expect(eta[0]?.outcome).toBe('APPLIED');
    await post(subco, [{ stop: { id: ref('D2'), status: 'COMPLETED' }, event_time: '2026-12-03T08:45:00Z' }]);
    const status = (await get(ctx, admin, `/v1/orders/order/${order.orderId}/status`)).json();
    expect(status.status).toBe('COMPLETED');
    expect((await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`)).json().status).toBe('COMPLETED');

    const messages = await eventually(() => {
      const all = customer.received.map((m) => JSON.parse(m.body) as Visibility);
      // The order's COMPLETED comes after the last stop's event (one entity, in order), the trip's separately.
      return (
        all.some((m) => m.events[0]?.update.type === 'Trip' && m.events[0].update.status === 'COMPLETED') &&
        all.some((m) => m.events[0]?.update.type === 'Order' && m.events[0].update.status === 'COMPLETED') &&
        all
      );
    });
    for (const m of messages) expectContract('OperationalVisibilityUpdate', m);
    const orderMessages = messages.filter((m) => m.order?.id === order.orderId);
    const stopEvents = orderMessages.filter((m) => m.events[0]?.update.type === 'Stop').map((m) => m.events[0]!.update);
    expect(stopEvents.map((u) => [u.id, u.stop?.status])).toEqual([
      [ref('P1'), 'AT_STOP'],
      [ref('P1'), 'COMPLETED'],
      [ref('P2'), 'COMPLETED'],
      [ref('D1'), 'COMPLETED'],
      [ref('D2'), 'COMPLETED'],
    ]);
    // Each message shows the order as it was at that moment, not its final state.
    const firstArrival = orderMessages.find((m) => m.events[0]?.update.type === 'Stop');
    expect(firstArrival?.order?.stops.find((s) => s.id === ref('P1'))?.status).toBe('AT_STOP');
    expect(firstArrival?.order?.status).toBe('IN_TRANSIT');
    const etaMessage = orderMessages.find((m) => m.events[0]?.update.type === 'Eta');
    expect(etaMessage?.events[0]?.update.stops?.[0]).toMatchObject({ id: ref('D2'), eta_start_time: '2026-12-03T08:00:00.000Z' });
    const orderUpdates = orderMessages.filter((m) => m.events[0]?.update.type === 'Order').map((m) => [m.events[0]!.update.status, m.order?.status]);
    expect(orderUpdates.slice(-2)).toEqual([
      ['IN_TRANSIT', 'IN_TRANSIT'],
      ['COMPLETED', 'COMPLETED'],
    ]);
    const documents = messages.filter((m) => m.events[0]?.update.type === 'Document');
    expect(documents.map((m) => m.events[0]?.update.status)).toEqual(['CREATED']);
    const trips = messages.filter((m) => m.events[0]?.update.type === 'Trip').map((m) => m.events[0]!.update.status);
    expect(trips).toEqual(['CREATED', 'PLANNED', 'COMPLETED']);
    // The customer pulls the same final state.
    expect(status.stops.every((s: { status: string }) => s.status === 'COMPLETED')).toBe(true);
  });

  it('a batch in one request: each update answered as if sent alone, the trip completes mid-batch, events gap-free in order with the order as of each', async () => {
    const own = await orderWithStops(ctx, admin, 'EXE-BATCH');
    const [p1, p2, d1, d2] = ['P1', 'P2', 'D1', 'D2'].map((r) => stopRef(r, own.stops)) as [string, string, string, string];
    const planned = await planTrip(ctx, admin, [p1, p2, d1, d2]);
    const dispatched = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${planned.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '100' });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const before = (await get(ctx, admin, '/v1/events?limit=1000')).json().items as Array<{ position: number }>;
    const at = (stop: string, status: string, time: string) => ({ stop: { id: stop, status }, event_time: time });
    const results = await post(subco, [
      at(p1, 'AT_STOP', '2026-12-04T08:00:00Z'),
      at(p1, 'AT_STOP', '2026-12-04T08:00:00Z'),
      at(p1, 'COMPLETED', '2026-12-04T08:20:00Z'),
      { stop: { id: p2 }, stop_group: { id: 'g' }, event_time: '2026-12-04T08:25:00Z' },
      at(p2, 'COMPLETED', '2026-12-04T08:30:00Z'),
      at(p2, 'AT_STOP', '2026-12-04T08:10:00Z'),
      at(d1, 'COMPLETED', '2026-12-04T10:00:00Z'),
      at('00000000-0000-4000-8000-000000000000', 'AT_STOP', '2026-12-04T10:05:00Z'),
      at(d2, 'COMPLETED', '2026-12-04T11:00:00Z'),
      { stop: { id: d2, eta_start: '2026-12-04T12:00:00Z' }, event_time: '2026-12-04T11:30:00Z' },
    ]);
    expect(results.map((r) => r.outcome)).toEqual([
      'APPLIED',
      'DUPLICATE',
      'APPLIED',
      'NOT_SUPPORTED',
      'APPLIED',
      'STALE',
      'APPLIED',
      'UNMATCHED',
      'APPLIED',
      'STALE',
    ]);
    expect(results.map((r) => r.stop_id)).toEqual([p1, p1, p1, null, p2, p2, d1, null, d2, d2]);
    expect((await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${planned.id}`)).json().status).toBe('COMPLETED');
    expect((await get(ctx, admin, `/v1/orders/order/${own.orderId}/status`)).json().status).toBe('COMPLETED');

    const all = (await get(ctx, admin, '/v1/events?limit=1000')).json().items as Array<{
      position: number;
      type: string;
      entity_id: string;
      payload: { stop_id?: string; status?: string; order_snapshot?: { status: string; stops: Array<{ id: string; status: string }> } };
    }>;
    expect(all.map((e) => e.position)).toEqual(all.map((_, i) => (all[0]?.position ?? 1) + i));
    const mine = all.slice(before.length).filter((e) => e.entity_id === own.orderId || e.entity_id === planned.id || e.type.startsWith('status_update.'));
    expect(mine.map((e) => [e.type, e.payload.stop_id ?? e.payload.status ?? null])).toEqual([
      ['stop.arrived', p1],
      ['order.status_changed', 'IN_TRANSIT'],
      ['stop.completed', p1],
      ['stop.completed', p2],
      ['stop.completed', d1],
      ['status_update.unmatched', null],
      ['stop.completed', d2],
      ['order.completed', 'COMPLETED'],
      ['trip.visibility', 'COMPLETED'],
      ['trip.completed', 'COMPLETED'],
    ]);
    // Each stop event carries the order as its own update left it, not as the batch ended.
    const statusOf = (e: (typeof mine)[number], stop: string) => e.payload.order_snapshot?.stops.find((x) => x.id === stop)?.status;
    expect(mine.filter((e) => e.type.startsWith('stop.')).map((e) => [statusOf(e, p1), statusOf(e, d2), e.payload.order_snapshot?.status])).toEqual([
      ['AT_STOP', 'DISPATCHED', 'IN_TRANSIT'],
      ['COMPLETED', 'DISPATCHED', 'IN_TRANSIT'],
      ['COMPLETED', 'DISPATCHED', 'IN_TRANSIT'],
      ['COMPLETED', 'DISPATCHED', 'IN_TRANSIT'],
      ['COMPLETED', 'COMPLETED', 'COMPLETED'],
    ]);
  });

  it('concurrent batches naming the same stops in opposite orders all answer, and the stops end at the newest report', async () => {
    const own = await orderWithStops(ctx, admin, 'EXE-CROSS');
    const other = await orderWithStops(ctx, admin, 'EXE-CROSS-2');
    const [a, b] = [stopRef('D1', own.stops), stopRef('D1', other.stops)];
    const planned = await planTrip(ctx, admin, [a, b]);
    const dispatched = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${planned.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '100' });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const arrive = (stop: string, minute: number) => ({ stop: { id: stop, status: 'AT_STOP' }, event_time: `2026-12-05T08:0${minute}:00Z` });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(subco, i % 2 ? [arrive(a, i), arrive(b, i)] : [arrive(b, i), arrive(a, i)])));
    expect(answers.flat().every((r) => r.outcome === 'APPLIED' || r.outcome === 'STALE')).toBe(true);
    const arrival = async (orderId: string, stop: string) =>
      (await get(ctx, admin, `/v1/orders/order/${orderId}/status`)).json().stops.find((s: { id: string }) => s.id === stop).start_timestamp;
    expect([await arrival(own.orderId, a), await arrival(other.orderId, b)]).toEqual(['2026-12-05T08:07:00.000Z', '2026-12-05T08:07:00.000Z']);
  });

  it('a replayed or reordered report cannot rewind a stop: a newer event time moves the actual time, an older one is STALE, and shuffled concurrent reports end at the newest', async () => {
    const own = await orderWithStops(ctx, admin, 'EXE-ORDER');
    const d2 = stopRef('D2', own.stops);
    const planned = await planTrip(ctx, admin, [stopRef('P2', own.stops), d2]);
    expect((await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${planned.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '100' })).statusCode).toBe(
      200,
    );
    const stopOf = async () => (await get(ctx, admin, `/v1/orders/order/${own.orderId}/status`)).json().stops.find((s: { id: string }) => s.id === d2);
    const arrive = (time: string) => ({ stop: { id: d2, status: 'AT_STOP' }, event_time: time });
    expect(
      (await post(subco, [arrive('2026-12-03T08:00:00Z'), arrive('2026-12-03T08:30:00Z'), arrive('2026-12-03T08:10:00Z'), arrive('2026-12-03T08:30:00Z')])).map(
        (r) => r.outcome,
      ),
    ).toEqual(['APPLIED', 'APPLIED', 'STALE', 'DUPLICATE']);
    expect(await stopOf()).toMatchObject({ status: 'AT_STOP', start_timestamp: '2026-12-03T08:30:00.000Z' });
    const minutes = Array.from({ length: 12 }, (_, i) => i);
    const shuffled = minutes
      .map((m) => ({ m, key: Math.random() }))
      .sort((a, b) => a.key - b.key)
      .map(({ m }) => m);
    const complete = (m: number) => ({ stop: { id: d2, status: 'COMPLETED' }, event_time: `2026-12-03T09:${String(m).padStart(2, '0')}:00Z` });
    await Promise.all(shuffled.map((m) => post(subco, [complete(m)])));
    expect(await stopOf()).toMatchObject({ status: 'COMPLETED', start_timestamp: '2026-12-03T08:30:00.000Z', end_timestamp: '2026-12-03T09:11:00.000Z' });
  });
});
