import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { contractErrors, expectContract } from '../support/contract.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { newResource, orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type TripBody } from './trips.fixtures.js';

const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let planner: Client;
let fleetApp: Receiver;
let driver: string;
beforeAll(async () => {
  ({ ctx, admin } = world);
  planner = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  fleetApp = (await world.receiver(null, ['fleet_dispatch'])).receiver;
  driver = await newResource(ctx, admin, { name: 'Ana Silva', resource_type: 'DRIVER' });
});

const at = (hour: number) => `2026-12-01T${String(hour).padStart(2, '0')}:00:00Z`;
const planned = (ids: string[]) => ids.map((id, sequence) => ({ sequence, id, start_timestamp: at(6 + sequence), end_timestamp: at(6 + sequence) }));

async function importTrip(client: Client, body: object) {
  return ctx.app.inject({ method: 'POST', url: '/v1/webhook/trip-import', headers: { authorization: client.auth }, payload: body });
}

async function trip(id: string): Promise<TripBody> {
  return (await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${id}`)).json() as TripBody;
}

describe('POST /v1/webhook/trip-import', () => {
  it('creates a trip under its identifier and dispatches it to own resources; the same import again changes nothing', async () => {
    const order = await orderWithStops(ctx, admin, 'IMP-1');
    const ids = ['P1', 'D1', 'P2', 'D2'].map((r) => stopRef(r, order.stops));
    const body = { trip_identifier: 'ROUTE-1', planned_stops: planned(ids), primary_resources: [{ id: driver }] };
    expect(contractErrors('TripImportInput', body)).toEqual([]);
    const res = await importTrip(planner, body);
    expect(res.statusCode, res.body).toBe(200);
    expectContract('TripImportResponse', res.json());
    expect(res.json().errors).toEqual([]);
    const created = await trip(res.json().trip_id);
    expect(created).toMatchObject({ status: 'PLANNED', executor: 'FLEET', resources: [{ id: driver, resource_type: 'DRIVER' }] });
    expect(created.stops.map((s) => s.id)).toEqual(ids);
    await eventually(() => fleetApp.received.length === 1);
    expect(JSON.parse(fleetApp.received[0]!.body).operation).toBe('CREATE');

    // The fleet app's answer is recorded on the trip; after that, a repeat must leave the trip as it is.
    await eventually(async () => (await trip(created.id)).dispatch.status === 'ACCEPTED');
    const settled = await trip(created.id);
    const again = await importTrip(planner, body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().trip_id).toBe(created.id);
    expect((await trip(created.id)).version).toBe(settled.version);
    expect(fleetApp.received).toHaveLength(1);

    // An update under the same identifier: stops dropped and the order of the rest changed.
    const shorter = await importTrip(planner, { ...body, planned_stops: planned([ids[2]!, ids[3]!, ids[0]!, ids[1]!]) });
    expect(shorter.statusCode, shorter.body).toBe(200);
    expect((await trip(created.id)).stops.map((s) => s.id)).toEqual([ids[2], ids[3], ids[0], ids[1]]);
    await eventually(() => fleetApp.received.some((r) => JSON.parse(r.body).operation === 'UPDATE'));
    const dropped = await importTrip(planner, {
      ...body,
      planned_stops: planned([ids[0]!, ids[1]!]),
      unassigned_stops: [{ stop_id: ids[2], reason: 'no capacity' }],
    });
    expect(dropped.statusCode, dropped.body).toBe(200);
    expect((await trip(created.id)).stops.map((s) => s.id)).toEqual([ids[0], ids[1]]);
    // The dropped stops are free again: a planner can put them on a trip of its own.
    expect((await planTrip(ctx, admin, [ids[2]!])).stops).toHaveLength(1);
  });

  it('cancels with status CANCELLED (twice is fine); a cancelled identifier takes no more imports', async () => {
    const order = await orderWithStops(ctx, admin, 'IMP-2');
    const ids = ['P1', 'D1'].map((r) => stopRef(r, order.stops));
    const made = await importTrip(planner, { trip_identifier: 'ROUTE-2', planned_stops: planned(ids) });
    expect(made.statusCode, made.body).toBe(200);
    expect((await trip(made.json().trip_id)).executor).toBe('NONE');
    for (let i = 0; i < 2; i++) {
      const cancelled = await importTrip(planner, { trip_identifier: 'ROUTE-2', status: 'CANCELLED', planned_stops: [] });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json().trip_id).toBe(made.json().trip_id);
    }
    expect((await trip(made.json().trip_id)).cancelled).toBe(true);
    expect((await importTrip(planner, { trip_identifier: 'ROUTE-2', planned_stops: planned(ids) })).statusCode).toBe(409);
    expect((await importTrip(planner, { trip_identifier: 'NEVER-SEEN', status: 'CANCELLED', planned_stops: [] })).statusCode).toBe(404);
    expect((await importTrip(planner, { status: 'CANCELLED', planned_stops: [] })).statusCode).toBe(400);
    // Without an identifier, the live trip holding the stops is the one updated.
    const anonymous = await importTrip(planner, { planned_stops: planned(ids) });
    expect(anonymous.statusCode, anonymous.body).toBe(200);
    const repeat = await importTrip(planner, { planned_stops: planned(ids) });
    expect(repeat.json().trip_id).toBe(anonymous.json().trip_id);
  });

  it('applies the planning rules: 400 for a bad plan or resource, 409 for a stop on another trip', async () => {
    const order = await orderWithStops(ctx, admin, 'IMP-3');
    const [p1, d1] = ['P1', 'D1'].map((r) => stopRef(r, order.stops)) as [string, string];
    const deliveryFirst = await importTrip(planner, { trip_identifier: 'ROUTE-3', planned_stops: planned([d1, p1]) });
    expect(deliveryFirst.statusCode, deliveryFirst.body).toBe(400);
    expect(deliveryFirst.json().message).toMatch(/pickup/);
    const backwards = planned([p1, d1]).map((s, i) => ({ ...s, start_timestamp: at(10 - i) }));
    const unordered = await importTrip(planner, { trip_identifier: 'ROUTE-3', planned_stops: backwards });
    expect(unordered.statusCode).toBe(400);
    expect(unordered.json().errors[0].field).toBe('start_timestamp');
    const noId = await importTrip(planner, { trip_identifier: 'ROUTE-3', planned_stops: [{ ...planned([p1])[0], id: null }] });
    expect(noId.statusCode).toBe(400);
    const unknownResource = await importTrip(planner, {
      trip_identifier: 'ROUTE-3',
      planned_stops: planned([p1, d1]),
      primary_resources: [{ id: '0f0e0d0c-0b0a-4909-8807-060504030201' }],
    });
    expect(unknownResource.statusCode).toBe(400);
    expect(unknownResource.json().errors[0].field).toBe('resource_id');
    await planTrip(ctx, admin, [p1]);
    const taken = await importTrip(planner, { trip_identifier: 'ROUTE-3', planned_stops: planned([p1, d1]) });
    expect(taken.statusCode, taken.body).toBe(409);
    // Nothing of the refused imports was kept.
    expect((await importTrip(planner, { trip_identifier: 'ROUTE-3', status: 'CANCELLED', planned_stops: [] })).statusCode).toBe(404);
  });

  it("is closed to other tenants' planners, subcontractors and API clients", async () => {
    const order = await orderWithStops(ctx, admin, 'IMP-4');
    const ids = ['P1', 'D1'].map((r) => stopRef(r, order.stops));
    const mine = await importTrip(planner, { trip_identifier: 'ROUTE-4', planned_stops: planned(ids) });
    expect(mine.statusCode, mine.body).toBe(200);
    const other = await newTenant(ctx);
    const theirPlanner = await newClient(ctx, other.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    // Our stops are unknown to them, and our identifier names nothing of theirs.
    expect((await importTrip(theirPlanner, { trip_identifier: 'X', planned_stops: planned(ids) })).statusCode).toBe(400);
    expect((await importTrip(theirPlanner, { trip_identifier: 'ROUTE-4', status: 'CANCELLED', planned_stops: [] })).statusCode).toBe(404);
    expect((await trip(mine.json().trip_id)).cancelled).toBe(false);
    const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL-I', is_customer: false, is_subcontractor: true });
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
    expect((await importTrip(subco, { trip_identifier: 'ROUTE-4', status: 'CANCELLED', planned_stops: [] })).statusCode).toBe(403);
    expect((await importTrip(admin, { trip_identifier: 'ROUTE-4', status: 'CANCELLED', planned_stops: [] })).statusCode).toBe(401);
  });
});
