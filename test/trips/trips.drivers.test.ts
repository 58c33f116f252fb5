import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { asPerson, newPerson, type Person } from '../support/people.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops, type TripBody } from './trips.fixtures.js';

/** The trip's purchase price: with a decimal point, so no UUID in an answer can contain it by chance. */
const PURCHASE_PRICE = '450.75';

/**
 * A driver's one-trip link: shared by the tenant or the trip's subcontractor, opened with a PIN,
 * and good for that trip's stops only — every other route refuses the driver.
 */
const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let haulId: string;
let rivalId: string;
let haul: Person;
let rival: Person;
let buyer: Person;
let order: OrderStops;
let other: OrderStops;
let trip: TripBody;
let otherTrip: TripBody;
const ref = (r: string) => stopRef(r, order.stops);
const links = () => `/v1/trips/trip/${trip.id}/driver-links`;

interface Created {
  id: string;
  url: string;
  pin: string;
}

const tokenOf = (link: Created) => link.url.slice(link.url.indexOf('#') + 1);
const openLink = (token: string, pin: string) => ctx.app.inject({ method: 'POST', url: '/v1/driver/session', payload: { token, pin } });
const asDriver = (access: string, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method, url, headers: { authorization: bearer(access), ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
const wrongPin = (pin: string) => String((Number(pin) + 1) % 1_000_000).padStart(6, '0');

async function share(person: Person | Client, tripId = trip.id): Promise<Created> {
  const url = `/v1/trips/trip/${tripId}/driver-links`;
  const res = 'cookie' in person ? await asPerson(person).post(url, {}) : await tripCall(ctx, person, 'POST', url, {});
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Created;
}

async function driverAccess(link: Created): Promise<string> {
  const res = await openLink(tokenOf(link), link.pin);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().access_token as string;
}

beforeAll(async () => {
  ({ ctx, admin } = world);
  haulId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  rivalId = await newCompany(ctx, admin, { name: 'Rivals', code: 'RIVAL', is_customer: false, is_subcontractor: true });
  haul = await newPerson(ctx, admin, { email: 'planner@haul.example', name: 'Haul Planner', role: 'SUBCONTRACTOR', company_id: haulId });
  rival = await newPerson(ctx, admin, { email: 'planner@rival.example', name: 'Rival Planner', role: 'SUBCONTRACTOR', company_id: rivalId });
  buyer = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: world.acmeId });
  order = await orderWithStops(ctx, admin, 'DRV-1');
  other = await orderWithStops(ctx, admin, 'DRV-2');
  trip = await planTrip(ctx, admin, [ref('P1'), ref('D1'), ref('P2'), ref('D2')]);
  otherTrip = await planTrip(
    ctx,
    admin,
    other.stops.map((s) => s.id),
  );
  for (const t of [trip, otherTrip]) {
    const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${t.id}/dispatch`, { subcontractor_id: haulId, purchase_price: PURCHASE_PRICE });
    expect(res.statusCode, res.body).toBe(200);
  }
});

describe('sharing a trip with a driver', () => {
  it('is for the tenant and the subcontractor the trip is dispatched to', async () => {
    expectError(await asPerson(rival).post(links(), {}), 404);
    expectError(await asPerson(buyer).post(links(), {}), 403);
    expectError(await asPerson(rival).get(links()), 404);
    expectError(await asPerson(haul).post(links(), { expires_in_hours: 1000 }), 400);
    const mine = await share(haul);
    expect(mine.url).toMatch(/\/app\/driver#[A-Za-z0-9_-]{43}$/);
    expect(mine.pin).toMatch(/^\d{6}$/);
    const tenants = await share(admin);
    // The subcontractor lists its own links, the tenant all of the trip's; never a token or a PIN.
    const seenBySub = await asPerson(haul).get(links());
    expect(seenBySub.json().map((l: { id: string }) => l.id)).toEqual([mine.id]);
    const seenByTenant = await tripCall(ctx, admin, 'GET', links());
    expect(seenByTenant.json().map((l: { id: string }) => l.id)).toEqual([mine.id, tenants.id]);
    expect(seenByTenant.body).not.toContain(tokenOf(mine));
    expect(seenByTenant.body).not.toContain('"pin"');
    expectError(await asPerson(haul).post(`${links()}/${tenants.id}/revoke`), 404);
    // Another tenant's admin and subcontractor people see neither the trip nor its links.
    const otherAdmin = await newTenant(ctx, 'Other carrier');
    const otherSubId = await newCompany(ctx, otherAdmin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
    const otherSub = await newPerson(ctx, otherAdmin, { email: 'planner@other-haul.example', name: 'Other', role: 'SUBCONTRACTOR', company_id: otherSubId });
    expectError(await tripCall(ctx, otherAdmin, 'GET', links()), 404);
    expectError(await tripCall(ctx, otherAdmin, 'POST', links(), {}), 404);
    expectError(await tripCall(ctx, otherAdmin, 'POST', `${links()}/${tenants.id}/revoke`), 404);
    expectError(await asPerson(otherSub).post(links(), {}), 404);
    expectError(await asPerson(otherSub).post(`/v1/trips/trip/${trip.id}/dispatch/answer`, { answer: 'ACCEPT' }), 404);
  });

  it('replays a create under its key without the URL and PIN', async () => {
    const key = { 'idempotency-key': 'share-1' };
    const first = await asPerson(haul).post(links(), {}, key);
    expect(first.json().pin).toBeDefined();
    const replay = await asPerson(haul).post(links(), {}, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.json().pin).toBeUndefined();
    expect(replay.json().url).toBeUndefined();
  });
});

describe('the driver', () => {
  let link: Created;
  let access: string;

  beforeAll(async () => {
    link = await share(haul);
  });

  it('needs the PIN; a wrong one counts', async () => {
    expectError(await openLink('not-a-token', link.pin), 404);
    const wrong = await openLink(tokenOf(link), wrongPin(link.pin));
    expectError(wrong, 401);
    expect(wrong.json().message).toContain('4 attempt(s) left');
    access = await driverAccess(link);
    expect(access.startsWith('drv_')).toBe(true);
  });

  it("reads its trip's stops and nothing about prices", async () => {
    const res = await asDriver(access, 'GET', '/v1/driver/trip');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stops.map((s: { id: string }) => s.id)).toEqual([ref('P1'), ref('D1'), ref('P2'), ref('D2')]);
    expect(res.body).not.toContain(PURCHASE_PRICE);
    expect(res.body).not.toContain('purchase_price');
  });

  it("reports on its trip's stops (idempotently), and on no other trip's", async () => {
    const body = { updates: [{ stop: { id: ref('P1'), status: 'AT_STOP' }, event_time: '2026-12-01T08:30:00+01:00' }] };
    const key = { 'idempotency-key': 'drv-p1' };
    const first = await asDriver(access, 'POST', '/v1/webhook/subco-status-update', body, key);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().results[0].outcome).toBe('APPLIED');
    const resend = await asDriver(access, 'POST', '/v1/webhook/subco-status-update', body, key);
    expect(resend.headers['idempotent-replayed']).toBe('true');
    // The same key from the person who shared the link is theirs, not the driver's.
    const sharers = await asPerson(haul).post('/v1/webhook/subco-status-update', body, key);
    expect(sharers.headers['idempotent-replayed']).toBeUndefined();
    expect(sharers.json().results[0].outcome).toBe('DUPLICATE');
    const elsewhere = { updates: [{ stop: { id: other.stops[0]?.id, status: 'AT_STOP' }, event_time: '2026-12-01T08:30:00+01:00' }] };
    expect((await asDriver(access, 'POST', '/v1/webhook/subco-status-update', elsewhere)).json().results[0].outcome).toBe('UNMATCHED');
    const byMatch = {
      updates: [
        { stop: { match: { matches_all: [{ order: { id: { matches_any: [other.orderId] } } }] }, status: 'AT_STOP' }, event_time: '2026-12-01T08:30:00Z' },
      ],
    };
    expect((await asDriver(access, 'POST', '/v1/webhook/subco-status-update', byMatch)).json().results[0].outcome).toBe('UNMATCHED');
  });

  it("uploads its stops' PODs, not another trip's", async () => {
    const headers = { 'content-type': 'image/png', 'content-disposition': 'attachment; filename="pod.png"' };
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const mine = await ctx.app.inject({
      method: 'POST',
      url: `/v1/webhook/subco-document-upload?question_path_key=POD&stop_id=${ref('D1')}`,
      headers: { authorization: bearer(access), ...headers },
      payload: png,
    });
    expect(mine.statusCode, mine.body).toBe(200);
    const theirs = await ctx.app.inject({
      method: 'POST',
      url: `/v1/webhook/subco-document-upload?question_path_key=POD&stop_id=${other.stops[1]?.id}`,
      headers: { authorization: bearer(access), ...headers },
      payload: png,
    });
    expectError(theirs, 404);
  });

  it('is refused by every other route of the API', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
    };
    const allowed = new Set(['getDriverTrip', 'subcontractorStatusUpdate', 'subcontractorStatusUpdateAlias', 'subcontractorDocumentUpload']);
    let checked = 0;
    const accepted: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        // Routes without credentials (sign-in, public links, probes) take no principal at all.
        if (allowed.has(operation.operationId) || (Array.isArray(operation.security) && operation.security.length === 0)) continue;
        const url = path.replace(/\{[^}]+\}/g, trip.id);
        const res = await ctx.app.inject({ method: method.toUpperCase() as 'GET', url, headers: { authorization: bearer(access) } });
        // API routes refuse the driver (403); routes taking other credentials (Basic) do not know its token (401).
        const apiRoute = !JSON.stringify(operation.security ?? []).includes('Basic');
        if (res.statusCode !== (apiRoute ? 403 : 401)) accepted.push(`${method.toUpperCase()} ${path}: ${res.statusCode}`);
        checked++;
      }
    }
    expect(accepted).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('loses its access when the link is revoked, and the link cannot be opened again', async () => {
    const revoked = await asPerson(haul).post(`${links()}/${link.id}/revoke`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().state).toBe('REVOKED');
    expectError(await asDriver(access, 'GET', '/v1/driver/trip'), 401);
    expectError(await openLink(tokenOf(link), link.pin), 404);
  });

  it('locks the link after five wrong PINs', async () => {
    const locking = await share(admin);
    for (let i = 0; i < 4; i++) expectError(await openLink(tokenOf(locking), wrongPin(locking.pin)), 401);
    expectError(await openLink(tokenOf(locking), wrongPin(locking.pin)), 404);
    expectError(await openLink(tokenOf(locking), locking.pin), 404);
    const listed = await tripCall(ctx, admin, 'GET', links());
    expect(listed.json().find((l: { id: string }) => l.id === locking.id)).toMatchObject({ state: 'LOCKED', failed_pins: 5 });
  });

  it("ends when the trip leaves the subcontractor that shared it; the tenant's link goes on", async () => {
    const subs = await share(haul);
    const tenants = await share(admin);
    const subAccess = await driverAccess(subs);
    const tenantAccess = await driverAccess(tenants);
    const res = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: rivalId, purchase_price: '500' });
    expect(res.statusCode, res.body).toBe(200);
    expectError(await asDriver(subAccess, 'GET', '/v1/driver/trip'), 401);
    expectError(await openLink(tokenOf(subs), subs.pin), 404);
    expect((await asDriver(tenantAccess, 'GET', '/v1/driver/trip')).statusCode).toBe(200);
    // Opening a link again moves the access to the new phone.
    const newPhone = await driverAccess(tenants);
    expectError(await asDriver(tenantAccess, 'GET', '/v1/driver/trip'), 401);
    expect((await asDriver(newPhone, 'GET', '/v1/driver/trip')).statusCode).toBe(200);
  });

  it('is refused with a session or an API client on the driver route', async () => {
    expectError(await asPerson(haul).get('/v1/driver/trip'), 403);
    const api = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: haulId });
    expectError(await ctx.app.inject({ method: 'GET', url: '/v1/driver/trip', headers: { authorization: api.auth } }), 403);
  });
});
