import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { contractErrors, expectContract } from '../support/contract.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { haversineKm } from '../../src/modules/trips/positions/positions.policy.js';
import { newResource, orderWithStops, planTrip, stopRef, tripCall, tripsWorld } from '../trips/trips.fixtures.js';

const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let telematics: Client;
let customerApp: Receiver;
beforeAll(async () => {
  ({ ctx, admin } = world);
  telematics = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  customerApp = (await world.receiver(world.acmeId, ['operational_visibility'])).receiver;
});

const byPlate = (plate: string) => ({ matches_any: [{ resource: { vehicle: { generic_id: { matches_any: [plate] } } } }] });
const position = (minute: number, latitude = 51.05, longitude = 3.71) => ({
  position: { timestamp: `2026-12-01T09:${String(minute).padStart(2, '0')}:00Z`, latitude, longitude },
});

async function track(client: Client, updates: object[]) {
  return ctx.app.inject({ method: 'POST', url: '/v1/webhook/tracking-update', headers: { authorization: client.auth }, payload: { updates } });
}

const resourceUpdates = () =>
  customerApp.received
    .map(
      (r) =>
        JSON.parse(r.body) as {
          events: Array<{ timestamp: string; update: { type: string; resource?: { id: string }; position?: object } }>;
          trip: { id: string } | null;
        },
    )
    .filter((m) => m.events[0]?.update.type === 'Resource');

describe('POST /v1/webhook/tracking-update', () => {
  it("keeps a resource's positions and tells the customers of its live trip, newest positions only", async () => {
    const tractor = await newResource(ctx, admin, { name: 'Tractor 7', resource_type: 'TRACTOR', code: '1-TRC-007' });
    const idle = await newResource(ctx, admin, { name: 'Idle van', resource_type: 'VAN', external_id: 'VAN-IDLE' });
    const order = await orderWithStops(ctx, admin, 'TRK-1');
    const trip = await planTrip(
      ctx,
      admin,
      ['P1', 'D1'].map((r) => stopRef(r, order.stops)),
    );
    expect((await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { resources: [{ id: tractor }] })).statusCode).toBe(200);

    const first = await track(telematics, [{ tracking_match: byPlate('1-TRC-007'), tracking_update_data: [position(30)] }]);
    expect(first.statusCode, first.body).toBe(200);
    expectContract('TrackingUpdateResponse', first.json());
    expect(first.json().errors).toEqual([]);
    await eventually(() => resourceUpdates().length === 1);
    const message = resourceUpdates()[0]!;
    expectContract('OperationalVisibilityUpdate', message);
    expect(message.events[0]).toMatchObject({
      timestamp: '2026-12-01T09:30:00.000Z',
      update: { type: 'Resource', resource: { id: tractor, type: 'TRACTOR', name: 'Tractor 7' }, position: { latitude: 51.05, longitude: 3.71 } },
    });
    expect(message.trip?.id).toBe(trip.id);

    // A repeat and an older position are stored once / kept in history, and announce nothing.
    const more = await track(telematics, [
      {
        tracking_match: byPlate('1-TRC-007'),
        tracking_update_data: [position(30), position(10, 50.9, 3.6), { temperature: { timestamp: '2026-12-01T09:10:00Z' } }],
      },
      {
        tracking_match: { matches_any: [{ resource: { vehicle: { integration_object_id: { matches_any: ['VAN-IDLE'] } } } }] },
        tracking_update_data: [position(31)],
      },
    ]);
    expect(more.statusCode, more.body).toBe(200);
    expect(more.json().errors).toEqual([{ error_type: 'NOT_SUPPORTED', error_message: expect.stringMatching(/temperature/) }]);
    const newer = await track(telematics, [
      {
        tracking_match: { matches_any: [{ resource: { vehicle: { name: { matches_any: ['Tractor 7'] } } } }] },
        tracking_update_data: [position(45, 51.2, 4.4)],
      },
    ]);
    expect(newer.json().errors).toEqual([]);
    await eventually(() => resourceUpdates().length === 2);
    expect(resourceUpdates().map((m) => m.events[0]!.timestamp)).toEqual(['2026-12-01T09:30:00.000Z', '2026-12-01T09:45:00.000Z']);

    const stored = await tripCall(ctx, admin, 'GET', `/v1/resources/resource/${tractor}/positions`);
    expect(stored.statusCode, stored.body).toBe(200);
    expect(stored.json().last_position).toMatchObject({ timestamp: '2026-12-01T09:45:00.000Z', latitude: 51.2, longitude: 4.4 });
    expect(stored.json().history.map((p: { timestamp: string }) => p.timestamp.slice(11, 16))).toEqual(['09:45', '09:30', '09:10']);
    expect((await tripCall(ctx, admin, 'GET', `/v1/resources/resource/${idle}/positions`)).json().history).toHaveLength(1);
    // The idle van is on no trip: nobody heard of it.
    expect(resourceUpdates().every((m) => m.events[0]!.update.resource?.id === tractor)).toBe(true);
  });

  it('keeps the newest 100 positions of a resource', async () => {
    await newResource(ctx, admin, { name: 'Long hauler', resource_type: 'TRACTOR', external_id: 'LONG-1' });
    const match = { matches_any: [{ resource: { vehicle: { integration_object_id: { matches_any: ['LONG-1'] } } } }] };
    const minutes = (from: number) =>
      Array.from({ length: 60 }, (_, i) => ({
        position: { timestamp: new Date(Date.UTC(2026, 11, 2, 0, from + i)).toISOString(), latitude: 50, longitude: 4 },
      }));
    for (const from of [0, 60]) expect((await track(telematics, [{ tracking_match: match, tracking_update_data: minutes(from) }])).json().errors).toEqual([]);
    const id = (await tripCall(ctx, admin, 'GET', '/v1/resources/resource?external_id=LONG-1')).json().items[0].row_id as string;
    const history = (await tripCall(ctx, admin, 'GET', `/v1/resources/resource/${id}/positions`)).json().history as Array<{ timestamp: string }>;
    expect(history).toHaveLength(100);
    expect([history[0]!.timestamp, history.at(-1)!.timestamp]).toEqual(['2026-12-02T01:59:00.000Z', '2026-12-02T00:20:00.000Z']);
  });

  it('answers in errors an update that names no resource, several, or a subcontractor; bad positions are a 400', async () => {
    await newResource(ctx, admin, { name: 'Twin', resource_type: 'DRIVER' });
    await newResource(ctx, admin, { name: 'Twin', resource_type: 'DRIVER' });
    const res = await track(telematics, [
      { tracking_match: byPlate('NO-SUCH-PLATE'), tracking_update_data: [position(1)] },
      { tracking_match: { matches_any: [{ resource: { driver: { name: { matches_any: ['Twin'] } } } }] }, tracking_update_data: [position(1)] },
      { tracking_match: { matches_any: [{ resource: { subcontractor: { name: { matches_any: ['Haulers'] } } } }] }, tracking_update_data: [position(1)] },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().errors.map((e: { error_type: string; error_message: string }) => [e.error_type, e.error_message.split(':')[0]])).toEqual([
      ['USER_INPUT_ERROR', 'updates.0'],
      ['USER_INPUT_ERROR', 'updates.1'],
      ['NOT_SUPPORTED', 'updates.2'],
    ]);
    const offNorth = await track(telematics, [{ tracking_match: byPlate('X'), tracking_update_data: [position(1, 91)] }]);
    expect(offNorth.statusCode).toBe(400);
    const noOffset = await track(telematics, [
      { tracking_match: byPlate('X'), tracking_update_data: [{ position: { timestamp: '2026-12-01T09:00:00', latitude: 1, longitude: 1 } }] },
    ]);
    expect(noOffset.statusCode).toBe(400);
  });

  it("cannot reach another tenant's resources; subcontractors and customers cannot call it", async () => {
    const mine = await newResource(ctx, admin, { name: 'Mine', resource_type: 'RIGID', external_id: 'RIGID-MINE' });
    const other = await newTenant(ctx);
    const theirTelematics = await newClient(ctx, other.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    const res = await track(theirTelematics, [
      { tracking_match: { matches_any: [{ resource: { vehicle: { generic_id: { matches_any: [mine] } } } }] }, tracking_update_data: [position(5)] },
    ]);
    expect(res.json().errors).toEqual([{ error_type: 'USER_INPUT_ERROR', error_message: 'updates.0: no active resource matches' }]);
    expect((await tripCall(ctx, admin, 'GET', `/v1/resources/resource/${mine}/positions`)).json().history).toEqual([]);
    expect((await tripCall(ctx, other, 'GET', `/v1/resources/resource/${mine}/positions`)).statusCode).toBe(404);
    const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL-T', is_customer: false, is_subcontractor: true });
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
    expect((await track(subco, [])).statusCode).toBe(403);
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: world.acmeId, kind: 'WEBHOOK' });
    expect((await track(customer, [])).statusCode).toBe(403);
  });

  it("accepts the reference's own examples of its match and data objects", async () => {
    const van = await newResource(ctx, admin, { name: 'Van 1', resource_type: 'VAN', external_id: 'VEH-001' });
    await newResource(ctx, admin, { name: 'John Doe', resource_type: 'DRIVER' });
    await newResource(ctx, admin, { name: 'Box', resource_type: 'CONTAINER', external_id: 'CONT-001' });
    const at = '2024-01-15T10:30:00Z';
    const data = [
      {
        position: { timestamp: at, latitude: 51.0543, longitude: 3.7174 },
        fuel: { timestamp: at, fuel_level_percentage: 75 },
        mileage: { timestamp: at, mileage_meter: 150000 },
        tachograph: { timestamp: at, activity: 'DRIVING', driving_since: '2024-01-15T08:00:00Z', next_break_at: '2024-01-15T12:30:00Z' },
      },
    ];
    const body = {
      updates: [
        { tracking_match: { matches_any: [{ resource: { vehicle: { generic_id: { matches_any: ['VEH-001'] } } } }] }, tracking_update_data: data },
        { tracking_match: { matches_any: [{ resource: { driver: { name: { matches_any: ['John Doe'] } } } }] }, tracking_update_data: data },
        { tracking_match: { matches_any: [{ resource: { container: { generic_id: { matches_any: ['CONT-001'] } } } }] }, tracking_update_data: data },
        { tracking_match: { matches_any: [{ resource: { subcontractor: { name: { matches_any: ['Acme Logistics'] } } } }] }, tracking_update_data: data },
      ],
    };
    expect(contractErrors('TrackingUpdatePayload', body)).toEqual([]);
    const res = await track(telematics, body.updates);
    expect(res.statusCode, res.body).toBe(200);
    expectContract('TrackingUpdateResponse', res.json());
    expect(res.json().errors.map((e: { error_type: string }) => e.error_type)).toEqual(['NOT_SUPPORTED', 'NOT_SUPPORTED']);
    expect((await tripCall(ctx, admin, 'GET', `/v1/resources/resource/${van}/positions`)).json().last_position).toMatchObject({
      latitude: 51.0543,
      longitude: 3.7174,
    });
  });
});

describe('ETA of the next stop from a tracked position', () => {
  interface Visibility {
    events: Array<{ update: { type: string; id: string | null; stop?: { status: string }; stops?: Array<{ id: string; eta_start_time: string }> } }>;
    order: { id: string } | null;
  }
  // realisticOrder's pickups are at the Antwerp DC (coordinates); its first delivery (Lyon) has none.
  const dc = { latitude: 51.2503, longitude: 4.4069 };
  /** The default rule: great-circle km × 1.3 road factor at 60 km/h. */
  const expectedEta = (at: string, from: { latitude: number; longitude: number }) => new Date(at).getTime() + ((haversineKm(from, dc) * 1.3) / 60) * 3_600_000;
  const ping = (plate: string, at: string, p: { latitude: number; longitude: number }) =>
    track(telematics, [{ tracking_match: byPlate(plate), tracking_update_data: [{ position: { timestamp: at, ...p } }] }]);
  const orderMessages = (orderId: string) => customerApp.received.map((m) => JSON.parse(m.body) as Visibility).filter((m) => m.order?.id === orderId);
  const etas = (orderId: string) =>
    orderMessages(orderId)
      .filter((m) => m.events[0]?.update.type === 'Eta')
      .map((m) => m.events[0]!.update);
  /** A fleet status update; its Stop event comes after any Eta event of the same order sent before it. */
  async function complete(orderId: string, stopId: string, at: string) {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/fleet-status-update',
      headers: { authorization: telematics.auth },
      payload: { updates: [{ stop: { id: stopId, status: 'COMPLETED' }, event_time: at }] },
    });
    expect(res.json().results[0].outcome, res.body).toBe('APPLIED');
    await eventually(() =>
      orderMessages(orderId).some(
        (m) => m.events[0]?.update.type === 'Stop' && m.events[0].update.id === stopId && m.events[0].update.stop?.status === 'COMPLETED',
      ),
    );
  }

  it('estimates the first stop not completed, only when the estimate moves, and never for a stop without coordinates', async () => {
    const tractor = await newResource(ctx, admin, { name: 'Tractor ETA', resource_type: 'TRACTOR', code: '1-ETA-001' });
    const order = await orderWithStops(ctx, admin, 'ETA-1');
    const ref = (r: string) => stopRef(r, order.stops);
    const trip = await planTrip(ctx, admin, ['P1', 'P2', 'D1'].map(ref));
    const dispatched = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { resources: [{ id: tractor }] });
    expect(dispatched.statusCode, dispatched.body).toBe(200);

    // Far away (Brussels, ~46 km): P1 gets an ETA the customer hears of and /status shows.
    const brussels = { latitude: 50.8466, longitude: 4.3528 };
    expect((await ping('1-ETA-001', '2026-12-01T09:00:00Z', brussels)).json().errors).toEqual([]);
    await eventually(() => etas(order.orderId).length === 1);
    const first = etas(order.orderId)[0]!;
    expect(first.id).toBe(ref('P1'));
    expect(Math.abs(new Date(first.stops![0]!.eta_start_time).getTime() - expectedEta('2026-12-01T09:00:00Z', brussels))).toBeLessThanOrEqual(1000);
    expect(new Date(first.stops![0]!.eta_start_time).getTime()).toBeGreaterThan(new Date('2026-12-01T09:45:00Z').getTime());
    for (const m of orderMessages(order.orderId)) expectContract('OperationalVisibilityUpdate', m);
    const status = (await tripCall(ctx, admin, 'GET', `/v1/orders/order/${order.orderId}/status`)).json();
    expect(status.stops.find((s: { id: string }) => s.id === ref('P1')).start_timestamp).toBe(first.stops![0]!.eta_start_time);

    // A minute later, a kilometre closer: the same ETA within minutes, so no new event.
    expect((await ping('1-ETA-001', '2026-12-01T09:01:00Z', { latitude: 50.8556, longitude: 4.354 })).json().errors).toEqual([]);
    await complete(order.orderId, ref('P1'), '2026-12-01T09:50:00Z');
    expect(etas(order.orderId)).toHaveLength(1);

    // P1 done: the next position estimates P2 (same DC).
    const mechelen = { latitude: 51.0259, longitude: 4.4776 };
    await ping('1-ETA-001', '2026-12-01T09:55:00Z', mechelen);
    await eventually(() => etas(order.orderId).length === 2);
    const second = etas(order.orderId)[1]!;
    expect(second.id).toBe(ref('P2'));
    expect(Math.abs(new Date(second.stops![0]!.eta_start_time).getTime() - expectedEta('2026-12-01T09:55:00Z', mechelen))).toBeLessThanOrEqual(1000);

    // P2 done: D1 (Lyon) has no coordinates, so a position gives it no ETA.
    await complete(order.orderId, ref('P2'), '2026-12-01T10:30:00Z');
    await ping('1-ETA-001', '2026-12-01T11:00:00Z', { latitude: 50.0, longitude: 4.5 });
    await complete(order.orderId, ref('D1'), '2026-12-02T10:00:00Z');
    expect(etas(order.orderId)).toHaveLength(2);
  });
});
