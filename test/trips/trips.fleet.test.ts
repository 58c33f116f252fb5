import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { get } from '../orders/orders.fixtures.js';
import { newResource, orderWithStops, planTrip, stopRef, tripCall, tripsWorld } from './trips.fixtures.js';

const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let fleetApp: Receiver;
beforeAll(async () => {
  ({ ctx, admin } = world);
  fleetApp = (await world.receiver(null, ['fleet_dispatch'])).receiver;
});

describe('dispatch to the own fleet', () => {
  it('sends the fleet app a contract-valid FleetDispatch; its status updates and POD complete the order', async () => {
    const order = await orderWithStops(ctx, admin, 'FLT-1');
    const ids = ['P1', 'D1', 'P2', 'D2'].map((r) => stopRef(r, order.stops));
    const trip = await planTrip(ctx, admin, ids);
    const driver = await newResource(ctx, admin, { name: 'Ana Silva', resource_type: 'DRIVER' });
    const tractor = await newResource(ctx, admin, { name: 'Tractor 1', resource_type: 'TRACTOR' });
    // The type may be left out: master data knows it.
    const dispatched = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, {
      resources: [{ resource_type: 'DRIVER', id: driver }, { id: tractor }],
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    expectContract('TripOutput', dispatched.json());
    const resources = [
      { resource_type: 'DRIVER', id: driver, name: 'Ana Silva' },
      { resource_type: 'TRACTOR', id: tractor, name: 'Tractor 1' },
    ];
    expect(dispatched.json()).toMatchObject({ executor: 'FLEET', resources, subcontractor: null, purchase_price: null });
    const listed = await tripCall(ctx, admin, 'GET', `/v1/trips/trip?resource_id=${driver}`);
    expect(listed.json().items.map((t: { id: string }) => t.id)).toEqual([trip.id]);

    await eventually(() => fleetApp.received.length === 1);
    const message = JSON.parse(fleetApp.received[0]!.body);
    expectContract('FleetDispatch', message);
    expect(message.operation).toBe('CREATE');
    expect(message.payload.resource_allocations.map((a: { resource: { id: string } }) => a.resource.id)).toEqual([driver, tractor]);

    const fleet = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    const updates = ids.map((id, i) => ({ stop: { id, status: 'COMPLETED' }, event_time: `2026-12-0${1 + Math.floor(i / 2)}T1${i}:00:00Z`, stop_group: null }));
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/webhook/fleet-status-update', headers: { authorization: fleet.auth }, payload: { updates } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED', 'APPLIED']);
    const groups = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/fleet-status-update',
      headers: { authorization: fleet.auth },
      payload: { updates: [{ stop: { id: ids[0] }, event_time: '2026-12-01T10:00:00Z', stop_group: { id: ids[0] } }] },
    });
    expect(groups.json().results[0].outcome).toBe('NOT_SUPPORTED');
    const pod = await ctx.app.inject({
      method: 'POST',
      url: `/v1/webhook/fleet-document-upload?question_path_key=POD&stop_id=${ids[3]}`,
      headers: { authorization: fleet.auth, 'content-type': 'image/jpeg' },
      payload: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    });
    expect(pod.statusCode, pod.body).toBe(200);

    const status = (await get(ctx, admin, `/v1/orders/order/${order.orderId}/status`)).json();
    expect(status.status).toBe('COMPLETED');
    expect((await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`)).json().status).toBe('COMPLETED');
    const documents = (await get(ctx, admin, `/v1/orders/order/${order.orderId}/documents`)).json();
    expect(documents.map((d: { name: string; type: string }) => [d.name, d.type])).toEqual([['POD', 'PROOF_OF_DELIVERY']]);
    // A subcontractor's status client reaches none of the fleet's trips.
    const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
    const foreign = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/subco-status-update',
      headers: { authorization: subco.auth },
      payload: { updates: [{ stop: { id: ids[0], status: 'AT_STOP' }, event_time: '2026-12-01T10:00:00Z' }] },
    });
    expect(foreign.json().results[0].outcome).toBe('UNMATCHED');
    expect(
      (await ctx.app.inject({ method: 'POST', url: '/v1/webhook/fleet-status-update', headers: { authorization: subco.auth }, payload: { updates } }))
        .statusCode,
    ).toBe(403);
  });

  it('refuses an unknown, archived or mistyped resource with a 400 naming the entry', async () => {
    const order = await orderWithStops(ctx, admin, 'FLT-2');
    const trip = await planTrip(ctx, admin, [stopRef('P1', order.stops)]);
    const driver = await newResource(ctx, admin, { name: 'Ben', resource_type: 'DRIVER' });
    const retired = await newResource(ctx, admin, { name: 'Old trailer', resource_type: 'TRAILER' });
    expect((await tripCall(ctx, admin, 'DELETE', `/v1/resources/resource/${retired}`)).statusCode).toBeLessThan(300);
    const url = `/v1/trips/trip/${trip.id}/dispatch`;
    const archived = await tripCall(ctx, admin, 'POST', url, { resources: [{ id: driver }, { id: retired }] });
    expect(archived.statusCode, archived.body).toBe(400);
    expect(archived.json().errors[0]).toMatchObject({ field: 'resource_id', path: 'resources.1' });
    const unknown = await tripCall(ctx, admin, 'POST', url, { resources: [{ id: '0f0e0d0c-0b0a-4909-8807-060504030201' }] });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json().message).toMatch(/no resource/);
    const mistyped = await tripCall(ctx, admin, 'POST', url, { resources: [{ resource_type: 'TRACTOR', id: driver }] });
    expect(mistyped.statusCode, mistyped.body).toBe(400);
    // Another tenant's resource is unknown here.
    const other = await newTenant(ctx);
    const theirs = await newResource(ctx, other, { name: 'Theirs', resource_type: 'DRIVER' });
    expect((await tripCall(ctx, admin, 'POST', url, { resources: [{ id: theirs }] })).statusCode).toBe(400);
    expect((await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`)).json().executor).toBe('NONE');
  });
});
