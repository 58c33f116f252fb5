import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, type Client, type TestContext } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { asPerson, newPerson, type Person } from '../support/people.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops, type TripBody } from './trips.fixtures.js';

/**
 * The subcontractor's trip page, through the API: its people answer a dispatch and report on stops
 * with their session (and CSRF token), on the routes WEBHOOK clients use; nobody else may.
 */
const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let haulId: string;
let haul: Person;
let rival: Person;
let buyer: Person;
let ops: Person;
let haulHook: Client;
let order: OrderStops;
let trip: TripBody;
let tenantFeed: Receiver;
const ref = (r: string) => stopRef(r, order.stops);
const answerUrl = () => `/v1/trips/trip/${trip.id}/dispatch/answer`;
const report = (stopId: string, status: string, at: string) => ({ updates: [{ stop: { id: stopId, status }, event_time: at }] });

beforeAll(async () => {
  ({ ctx, admin } = world);
  tenantFeed = (await world.receiver(null, ['events'])).receiver;
  haulId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  const rivalId = await newCompany(ctx, admin, { name: 'Rivals', code: 'RIVAL', is_customer: false, is_subcontractor: true });
  haul = await newPerson(ctx, admin, { email: 'planner@haul.example', name: 'Haul Planner', role: 'SUBCONTRACTOR', company_id: haulId });
  rival = await newPerson(ctx, admin, { email: 'planner@rival.example', name: 'Rival Planner', role: 'SUBCONTRACTOR', company_id: rivalId });
  buyer = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: world.acmeId });
  ops = await newPerson(ctx, admin, { email: 'ops@carrier.example', name: 'Ops', role: 'TENANT' });
  haulHook = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: haulId, kind: 'WEBHOOK' });
  order = await orderWithStops(ctx, admin, 'CAR-1');
  trip = await planTrip(ctx, admin, [ref('P1'), ref('D1'), ref('P2'), ref('D2')]);
  const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: haulId, purchase_price: '450' });
  expect(res.statusCode, res.body).toBe(200);
});

describe('answering a dispatch from the trip page', () => {
  it('refuses a rejection without a reason', async () => {
    expectError(await asPerson(haul).post(answerUrl(), { answer: 'REJECT' }), 400);
    expectError(await asPerson(haul).post(answerUrl(), { answer: 'REJECT', reason: '   ' }), 400);
  });

  it('is for the subcontractor the trip is dispatched to, with its CSRF token', async () => {
    expectError(await asPerson(rival).post(answerUrl(), { answer: 'ACCEPT' }), 404);
    expectError(await asPerson(buyer).post(answerUrl(), { answer: 'ACCEPT' }), 403);
    expectError(await asPerson(ops).post(answerUrl(), { answer: 'ACCEPT' }), 403);
    expectError(await tripCall(ctx, admin, 'POST', answerUrl(), { answer: 'ACCEPT' }), 403);
    expectError(await ctx.app.inject({ method: 'POST', url: answerUrl(), headers: { authorization: haulHook.auth }, payload: { answer: 'ACCEPT' } }), 403);
    expectError(await asPerson(haul, { csrf: false }).post(answerUrl(), { answer: 'ACCEPT' }), 403);
    const seen = await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`);
    expect(seen.json().dispatch.status).toBe('SENT');
  });

  it('rejects with a reason: the tenant sees it on the trip and in a push', async () => {
    const res = await asPerson(haul).post(answerUrl(), { answer: 'REJECT', reason: 'No truck free on that date' });
    expect(res.statusCode, res.body).toBe(200);
    expectContract('TripOutput', res.json());
    expect(res.json().dispatch).toMatchObject({
      status: 'REJECTED',
      errors: [{ error_type: 'USER_INPUT_ERROR', error_message: 'No truck free on that date' }],
    });
    const seen = await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`);
    expect(seen.json().dispatch.status).toBe('REJECTED');
    const pushed = await eventually(() =>
      tenantFeed.received.map((m) => JSON.parse(m.body) as { type: string; payload: Record<string, unknown> }).find((e) => e.type === 'trip.dispatch_rejected'),
    );
    expect(pushed.payload).toMatchObject({ trip_id: trip.id, operation: 'CREATE', errors: [{ error_message: 'No truck free on that date' }] });
  });

  it('accepts (changing its mind); the same answer again changes nothing; a key replays', async () => {
    const key = { 'idempotency-key': 'accept-1' };
    const res = await asPerson(haul).post(answerUrl(), { answer: 'ACCEPT' }, key);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().dispatch).toMatchObject({ status: 'ACCEPTED', errors: [] });
    const replay = await asPerson(haul).post(answerUrl(), { answer: 'ACCEPT' }, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().version).toBe(res.json().version);
    const again = await asPerson(haul).post(answerUrl(), { answer: 'ACCEPT' });
    expect(again.json().version).toBe(res.json().version);
    const answers = await tripCall(ctx, admin, 'GET', `/v1/events?entity_type=trip&entity_id=${trip.id}&types=trip.dispatch_accepted,trip.dispatch_rejected`);
    expect(answers.json().items.map((e: { type: string }) => e.type)).toEqual(['trip.dispatch_rejected', 'trip.dispatch_accepted']);
    // The tenant's event names the person who answered.
    expect(answers.json().items[1].actor).toMatchObject({ type: 'user', id: haul.userId });
  });
});

describe("reporting with a person's session on the webhook routes", () => {
  it('moves a stop with the session and CSRF token; a resend under its key is replayed, not applied twice', async () => {
    const body = report(ref('P1'), 'AT_STOP', '2026-12-01T08:30:00+01:00');
    expectError(await asPerson(haul, { csrf: false }).post('/v1/webhook/subco-status-update', body), 403);
    const key = { 'idempotency-key': 'p1-arrived' };
    const first = await asPerson(haul).post('/v1/webhook/subco-status-update', body, key);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().results).toEqual([{ outcome: 'APPLIED', stop_id: ref('P1'), message: null }]);
    const resend = await asPerson(haul).post('/v1/webhook/subco-status-update', body, key);
    expect(resend.headers['idempotent-replayed']).toBe('true');
    expect(resend.json().results[0].outcome).toBe('APPLIED');
    // Without the key the same report is a DUPLICATE: either way the stop moved once.
    expect((await asPerson(haul).post('/v1/webhook/subco-status-update', body)).json().results[0].outcome).toBe('DUPLICATE');
    const arrivals = await tripCall(ctx, admin, 'GET', `/v1/events?entity_type=order&entity_id=${order.orderId}&types=stop.arrived`);
    expect(arrivals.json().items).toHaveLength(1);
  });

  it('is refused to other kinds of people, and another subcontractor reaches none of these stops', async () => {
    const body = report(ref('D1'), 'AT_STOP', '2026-12-01T10:30:00+01:00');
    expectError(await asPerson(buyer).post('/v1/webhook/subco-status-update', body), 403);
    expectError(await asPerson(ops).post('/v1/webhook/subco-status-update', body), 403);
    // The fleet app's route takes no sessions at all.
    expectError(await asPerson(ops).post('/v1/webhook/fleet-status-update', body), 401);
    const unmatched = await asPerson(rival).post('/v1/webhook/subco-status-update', body);
    expect(unmatched.json().results[0].outcome).toBe('UNMATCHED');
    const stop = (await tripCall(ctx, admin, 'GET', `/v1/trips/trip/${trip.id}`)).json().stops.find((s: { id: string }) => s.id === ref('D1'));
    expect(stop.status).not.toBe('AT_STOP');
  });

  it("uploads a stop's POD with the session; the customer sees it; the rival cannot", async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const url = `/v1/webhook/subco-document-upload?question_path_key=POD&stop_id=${ref('D1')}`;
    const headers = { 'content-type': 'image/png', 'content-disposition': 'attachment; filename="pod.png"' };
    expectError(await asPerson(rival).send('POST', url, png, headers), 404);
    expectError(await asPerson(haul, { csrf: false }).send('POST', url, png, headers), 403);
    const res = await asPerson(haul).send('POST', url, png, headers);
    expect(res.statusCode, res.body).toBe(200);
    const docs = await asPerson(buyer).get(`/v1/orders/order/${order.orderId}/documents`);
    expect(docs.json().map((d: { id: string }) => d.id)).toContain(res.json().document_id);
    const rivalTrips = await asPerson(rival).get('/v1/trips/trip');
    expect(rivalTrips.json().items).toEqual([]);
  });

  it('leaves WEBHOOK credentials working as before', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/subco-status-update',
      headers: { authorization: haulHook.auth },
      payload: report(ref('P1'), 'COMPLETED', '2026-12-01T09:00:00+01:00'),
    });
    expect(res.json().results[0].outcome).toBe('APPLIED');
  });
});
