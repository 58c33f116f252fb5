import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, type Client } from '../support/app.js';
import { contractClientWorld, type Schemas } from '../support/contract-client.js';
import { newResource, orderWithStops, planTrip, stopRef, tripCall, type OrderStops, type TripBody } from '../trips/trips.fixtures.js';

/**
 * Trip execution through a client generated from the reference contract (see
 * support/contract-client.ts): a subcontractor and the tenant's own fleet app report stop status
 * and upload proofs on trips the tenant dispatched to them, and read the trip, its costs and its
 * documents. Planning and dispatch are Waybill endpoints, so they are set up directly.
 */

const world = contractClientWorld();
const { auth } = world;
const pdf = '%PDF-1.4\n%%EOF\n';

/** A planned trip over a fresh two-consignment order, dispatched as `dispatch` says. */
async function dispatchedTrip(identifier: string, dispatch: object): Promise<{ order: OrderStops; trip: TripBody; stopIds: string[] }> {
  const order = await orderWithStops(world.ctx, world.admin, identifier);
  const stopIds = ['P1', 'D1', 'P2', 'D2'].map((ref) => stopRef(ref, order.stops));
  const trip = await planTrip(world.ctx, world.admin, stopIds);
  const res = await tripCall(world.ctx, world.admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, dispatch);
  expect(res.statusCode, res.body).toBe(200);
  return { order, trip, stopIds };
}

describe('a client generated from the reference contract, on trips', () => {
  let subco: Client;
  let subcoId: string;
  beforeAll(async () => {
    await newCompany(world.ctx, world.admin, { name: 'Acme', code: 'ACME' });
    subcoId = await newCompany(world.ctx, world.admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
    subco = await newClient(world.ctx, world.admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
  });

  it('a subcontractor reports status by stop id and by match, and uploads a proof of delivery', async () => {
    const { trip, stopIds } = await dispatchedTrip('CLIENT-SUBCO', { subcontractor_id: subcoId, purchase_price: '600' });
    const body: Schemas['SubcontractorStatusUpdatePayload'] = {
      updates: [
        { stop: { id: stopIds[0], status: 'AT_STOP', question_answers: {} }, event_time: '2026-12-01T08:30:00+01:00' },
        {
          stop: { match: { matches_all: [{ trip: { name: { matches_any: [trip.name] } }, consignment: { reference_number: { matches_any: ['CLIENT-SUBCO-C1'] } }, stop: { stop_type: 'DELIVERY' } }] }, status: 'COMPLETED', question_answers: {} },
          event_time: '2026-12-01T11:00:00Z',
        },
      ],
    };
    const updated = await world.api.POST('/v1/webhook/subco-status-update', { headers: world.webhookAuth(subco), body });
    world.check('post /v1/webhook/subco-status-update', updated);
    expect((updated.data as { results: Array<{ outcome: string }> }).results.map((r) => r.outcome)).toEqual(['APPLIED', 'APPLIED']);

    const uploaded = await world.api.POST('/v1/webhook/subco-document-upload', {
      headers: { ...world.webhookAuth(subco), 'content-type': 'application/pdf' },
      params: { query: { question_path_key: 'POD', stop_id: stopIds[1] ?? '' } },
      body: pdf,
      bodySerializer: (b: unknown) => b as string,
    });
    world.check('post /v1/webhook/subco-document-upload', uploaded);

    // The subcontractor's own API client reads the trip it executes, as the tenant does.
    const subcoApi = { authorization: (await newClient(world.ctx, world.admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId })).auth };
    const path = { path: { trip_id: trip.id } };
    for (const headers of [auth(), subcoApi]) {
      world.check('get /v1/trips/trip/{trip_id}', await world.api.GET('/v1/trips/trip/{trip_id}', { headers, params: path }));
      const costs = await world.api.GET('/v1/trips/trip/{trip_id}/costs', { headers, params: path });
      world.check('get /v1/trips/trip/{trip_id}/costs', costs);
      const documents = await world.api.GET('/v1/trips/trip/{trip_id}/documents', { headers, params: path });
      world.check('get /v1/trips/trip/{trip_id}/documents', documents);
      expect(documents.data?.map((d) => d.type)).toEqual(['PROOF_OF_DELIVERY']);
    }
  });

  it("the tenant's fleet app reports status and uploads a proof of delivery with the webhook credentials", async () => {
    const driver = await newResource(world.ctx, world.admin, { name: 'Client Driver', resource_type: 'DRIVER' });
    const { stopIds } = await dispatchedTrip('CLIENT-FLEET', { resources: [{ resource_type: 'DRIVER', id: driver }] });
    const body: Schemas['FleetStatusUpdatePayload'] = {
      updates: stopIds.map((id, i) => ({ stop: { id, status: 'COMPLETED', question_answers: {} }, event_time: `2026-12-02T1${i}:00:00Z`, stop_group: null })),
    };
    const updated = await world.api.POST('/v1/webhook/fleet-status-update', { headers: world.webhookAuth(), body });
    world.check('post /v1/webhook/fleet-status-update', updated);
    expect((updated.data as { results: Array<{ outcome: string }> }).results.map((r) => r.outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED', 'APPLIED']);

    const uploaded = await world.api.POST('/v1/webhook/fleet-document-upload', {
      headers: { ...world.webhookAuth(), 'content-type': 'application/pdf' },
      params: { query: { question_path_key: 'POD', stop_id: stopIds[3] ?? null } },
      body: pdf,
      bodySerializer: (b: unknown) => b as string,
    });
    world.check('post /v1/webhook/fleet-document-upload', uploaded);
    // The contract lets the fleet app name a stop group instead of a stop; Waybill has none, and says so.
    const byGroup = await world.api.POST('/v1/webhook/fleet-document-upload', {
      headers: { ...world.webhookAuth(), 'content-type': 'application/pdf' },
      params: { query: { question_path_key: 'POD', stop_group_id: 'GROUP-1' } },
      body: pdf,
      bodySerializer: (b: unknown) => b as string,
    });
    expect(byGroup.response.status).toBe(400);
    expect(byGroup.error).toMatchObject({ message: expect.stringContaining('Stop groups are not supported'), errors: [{ field: 'stop_id' }] });
  });

  it("an external planner imports a trip onto the tenant's own driver, then cancels it", async () => {
    const driver = await newResource(world.ctx, world.admin, { name: 'Planned Driver', resource_type: 'DRIVER' });
    const order = await orderWithStops(world.ctx, world.admin, 'CLIENT-IMPORT');
    const stopIds = ['P1', 'D1'].map((ref) => stopRef(ref, order.stops));
    const body: Schemas['TripImportInput'] = {
      trip_identifier: 'PLANNER-ROUTE-1',
      planned_stops: stopIds.map((id, sequence) => ({ id, sequence, start_timestamp: `2026-12-03T0${6 + sequence}:00:00Z`, end_timestamp: `2026-12-03T0${6 + sequence}:30:00Z` })),
      primary_resources: [{ id: driver }],
    };
    const imported = await world.api.POST('/v1/webhook/trip-import', { headers: world.webhookAuth(), body });
    world.check('post /v1/webhook/trip-import', imported);
    expect(imported.data?.errors).toEqual([]);
    // Waybill names the trip it made or changed beside the contract's errors (`trip_id`, an addition).
    const tripId = (imported.data as { trip_id?: string } | undefined)?.trip_id ?? '';
    const read = await world.api.GET('/v1/trips/trip/{trip_id}', { headers: auth(), params: { path: { trip_id: tripId } } });
    expect(read.data?.stops?.map((s) => s.id)).toEqual(stopIds);

    const cancelled = await world.api.POST('/v1/webhook/trip-import', { headers: world.webhookAuth(), body: { trip_identifier: 'PLANNER-ROUTE-1', status: 'CANCELLED', planned_stops: [] } });
    world.check('post /v1/webhook/trip-import', cancelled);
    expect((cancelled.data as { trip_id?: string } | undefined)?.trip_id).toBe(tripId);
  });

  it("a telematics provider pushes a tractor's positions, matched by its plate", async () => {
    const tractor = await newResource(world.ctx, world.admin, { name: 'Client Tractor', resource_type: 'TRACTOR', code: '1-CLT-001' });
    const body: Schemas['TrackingUpdatePayload'] = {
      updates: [
        {
          tracking_match: { matches_any: [{ resource: { vehicle: { generic_id: { matches_any: ['1-CLT-001'] } } } }] },
          tracking_update_data: [{ position: { timestamp: '2026-12-03T09:15:00+01:00', latitude: 51.05, longitude: 3.71 } }],
        },
      ],
    };
    const tracked = await world.api.POST('/v1/webhook/tracking-update', { headers: world.webhookAuth(), body });
    world.check('post /v1/webhook/tracking-update', tracked);
    expect(tracked.data?.errors).toEqual([]);
    const stored = await tripCall(world.ctx, world.admin, 'GET', `/v1/resources/resource/${tractor}/positions`);
    expect(stored.json().last_position).toMatchObject({ timestamp: '2026-12-03T08:15:00.000Z', latitude: 51.05, longitude: 3.71 });
  });

  it('a location booking system and an intermodal operator report on the bookings of a trip', async () => {
    const { trip, stopIds } = await dispatchedTrip('CLIENT-BOOKING', { subcontractor_id: subcoId, purchase_price: '450' });
    const slot: Schemas['LocationBookingUpdatePayload'] = {
      updates: [
        {
          id: stopIds[1],
          event_time: '2026-12-01T08:42:00Z',
          status: 'BOOKED',
          execution_status: { execution_statuses: [{ event_time: '2026-12-01T08:40:00Z', ok: true, type: 'SLOT_CONFIRMED', remark: 'Dock 4' }] },
          question_answers: {},
        },
      ],
    };
    const booked = await world.api.POST('/v1/webhook/location-booking-update', { headers: world.webhookAuth(), body: slot });
    world.check('post /v1/webhook/location-booking-update', booked);
    expect(booked.data?.errors).toEqual([]);
    const leg: Schemas['IntermodalBookingStatusPayload'] = {
      updates: [
        {
          id: stopIds[0],
          event_time: '2026-12-01T18:05:00Z',
          booking_reference: 'ZEE-4471',
          status: { booking_status: 'BOOKED', execution_statuses: [{ event_time: '2026-12-01T18:00:00Z', ok: true, type: 'GATE_IN' }] },
        },
      ],
    };
    const gated = await world.api.POST('/v1/webhook/intermodal-status', { headers: world.webhookAuth(), body: leg });
    world.check('post /v1/webhook/intermodal-status', gated);
    expect(gated.data).toMatchObject({ errors: [] });
    const stored = (await tripCall(world.ctx, world.admin, 'GET', `/v1/trips/trip/${trip.id}/bookings`)).json().items as Array<{ kind: string; booking_id: string; status: string }>;
    expect(stored.map((b) => [b.kind, b.booking_id, b.status])).toEqual(
      expect.arrayContaining([
        ['LOCATION', stopIds[1], 'BOOKED'],
        ['INTERMODAL', stopIds[0], 'BOOKED'],
      ]),
    );
  });

  it('found no mismatch, and reached every contract operation of its area', () => world.expectDriven('trips'));
});
