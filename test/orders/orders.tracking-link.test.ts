import type { KyselyPlugin } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrackingLinks } from '../../src/modules/orders/tracking-link/tracking-link.service.js';
import { EventBus } from '../../src/platform/events/bus.js';
import { createTestApp, newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { asPerson, newPerson } from '../support/people.js';
import { as } from '../support/requests.js';
import { get, realisticOrder, upload } from './orders.fixtures.js';
import { planTrip, stopRef, tripCall } from '../trips/trips.fixtures.js';

/** The public tracking link of an order (issue 23): made by the tenant or its customer, read by anyone with the token. */

const ctx = useApp();
let admin: Client;
let acme: Client;
let beta: Client;
let subco: Client;
let subcoHook: Client;
let subcoId: string;
let otherTenant: Client;
let acmeOrder: string;
let acmeStops: Array<{ id: string; reference_number: string | null }>;

const link = (orderId: string) => `/v1/orders/order/${orderId}/tracking-link`;
const publicRead = (token: string) => ctx.app.inject({ method: 'GET', url: `/v1/public/tracking/${encodeURIComponent(token)}` });

async function makeLink(client: Client, orderId: string): Promise<{ token: string; url: string; created_at: string }> {
  const res = await as(client).post(link(orderId));
  expect(res.statusCode, res.body).toBe(201);
  expect(Object.keys(res.json()).sort()).toEqual(['created_at', 'token', 'url']);
  return res.json();
}

async function track(token: string) {
  const res = await publicRead(token);
  expect(res.statusCode, res.body).toBe(200);
  // These five fields and nothing else, whatever the order holds.
  expect(Object.keys(res.json()).sort()).toEqual(['delivery_country', 'delivery_town', 'eta', 'status', 'updated_at']);
  return res.json() as Record<string, unknown>;
}

beforeAll(async () => {
  admin = await newTenant(ctx);
  const acmeId = await newCompany(ctx, admin, { name: 'Acme Tiles NV', code: 'ACME' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta Foods', code: 'BETA' });
  subcoId = await newCompany(ctx, admin, { name: 'Hauler', code: 'HAUL', is_customer: false, is_subcontractor: true });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
  subcoHook = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
  otherTenant = await newTenant(ctx, 'Other carrier');
  await newCompany(ctx, otherTenant, { name: 'Acme', code: 'ACME' });
  const res = await upload(ctx, acme, realisticOrder('TL-1', { customer: undefined }));
  expect(res.json().upload_status, res.body).toBe('COMPLETED');
  acmeOrder = res.json().order_id;
  acmeStops = (await get(ctx, admin, `/v1/orders/order/${acmeOrder}`)).json().stops;
});

describe('a public tracking link', () => {
  it('shows status, ETA and the delivery town without signing in, and nothing else', async () => {
    const made = await makeLink(acme, acmeOrder);
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(made.url).toBe(`${ctx.services.config.publicBaseUrl}/app/track#${made.token}`);
    // Only the token's hash is stored.
    const rows = await ctx.services.db.selectFrom('order_tracking_links').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(made.token);

    const answer = await track(made.token);
    expect(answer).toEqual({ status: 'TO_PLAN', eta: null, delivery_town: 'Lyon', delivery_country: 'FR', updated_at: expect.any(String) });
    const text = (await publicRead(made.token)).body;
    for (const secret of ['Acme', 'ACME', 'PO-TL-1', 'TL-1', '845', 'Lyon Hub', 'Rue de la Gare', 'Antwerp', acmeOrder, '+33', 'Tail lift'])
      expect(text, secret).not.toContain(secret);
  });

  it('follows the order: the ETA of the next delivery, then the next town once the first is delivered', async () => {
    const ref = (r: string) => stopRef(r, acmeStops as never);
    const trip = await planTrip(
      ctx,
      admin,
      acmeStops.map((s) => s.id),
    );
    const dispatched = await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId, purchase_price: '450' });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const report = async (updates: unknown[]) => {
      const res = await as(subcoHook).post('/v1/webhook/subco-status-update', { updates });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(updates.map(() => 'APPLIED'));
    };
    await report([
      { stop: { id: ref('D1'), eta_start: '2026-12-02T09:30:00+01:00', eta_end: '2026-12-02T10:30:00+01:00' }, event_time: '2026-12-02T06:00:00Z' },
    ]);
    const { token } = await makeLink(admin, acmeOrder);
    expect(await track(token)).toMatchObject({ status: 'PLANNED', eta: '2026-12-02T08:30:00.000Z', delivery_town: 'Lyon' });

    await report([
      { stop: { id: ref('P1'), status: 'COMPLETED' }, event_time: '2026-12-02T06:10:00Z' },
      { stop: { id: ref('D1'), status: 'COMPLETED' }, event_time: '2026-12-02T08:40:00Z' },
    ]);
    expect(await track(token)).toMatchObject({ status: 'IN_TRANSIT', delivery_town: 'Grenoble', delivery_country: 'FR' });
  });

  it('a new link kills the old one; revoking kills the link', async () => {
    const first = await makeLink(acme, acmeOrder);
    const second = await makeLink(admin, acmeOrder);
    expect(second.token).not.toBe(first.token);
    expectError(await publicRead(first.token), 404);
    await track(second.token);

    const revoked = await as(acme).delete(link(acmeOrder));
    expect(revoked.statusCode, revoked.body).toBe(204);
    expectError(await publicRead(second.token), 404);
    // Nothing left to revoke.
    expectError(await as(admin).delete(link(acmeOrder)), 404);
  });

  it('records created and revoked events, visible to the order customer and without the token', async () => {
    const { token } = await makeLink(admin, acmeOrder);
    const feed = (await get(ctx, acme, `/v1/events?entity_type=order&entity_id=${acmeOrder}&limit=1000`)).json() as {
      items: Array<{ type: string; payload: unknown }>;
    };
    const types = feed.items.map((e) => e.type);
    expect(types).toContain('order.tracking_link_created');
    expect(types).toContain('order.tracking_link_revoked');
    expect(JSON.stringify(feed)).not.toContain(token);
  });

  it('answers 404 in the envelope for unknown and malformed tokens', async () => {
    expectError(await publicRead('A'.repeat(43)), 404);
    expectError(await publicRead('not a token'), 404);
    expectError(await publicRead('x'.repeat(101)), 400);
  });
});

describe('who may make or revoke a link', () => {
  it("another customer, another tenant and a subcontractor can't", async () => {
    const before = await ctx.services.db.selectFrom('order_tracking_links').select('token_hash').execute();
    for (const client of [beta, otherTenant]) {
      expectError(await as(client).post(link(acmeOrder)), 404);
      expectError(await as(client).delete(link(acmeOrder)), 404);
    }
    for (const method of ['POST', 'DELETE'] as const) {
      const res = await as(subco).send(method, link(acmeOrder));
      expect([403, 404], res.body).toContain(res.statusCode);
      expectError(res, res.statusCode);
    }
    expect(await ctx.services.db.selectFrom('order_tracking_links').select('token_hash').execute()).toEqual(before);
  });

  it('a link shows nothing of another order', async () => {
    const b = await upload(ctx, beta, realisticOrder('TL-B', { customer: { code: 'BETA' } }));
    const { token } = await makeLink(beta, b.json().order_id);
    const answer = await track(token);
    expect(answer.delivery_town).toBe('Lyon');
    // The beta link is one row, Acme's another: revoking Acme's leaves Beta's working.
    await as(admin).delete(link(acmeOrder));
    await track(token);
  });
});

describe('the public read without credentials', () => {
  it('is rate-limited per address like every unauthenticated route', async () => {
    const limited = await createTestApp({ rateLimitPerMinute: 3 });
    try {
      const read = () => limited.app.inject({ method: 'GET', url: `/v1/public/tracking/${'B'.repeat(43)}`, remoteAddress: '10.0.0.7' });
      for (let i = 0; i < 3; i++) expectError(await read(), 404);
      expectError(await read(), 429);
      // Another address has its own budget.
      expectError(await limited.app.inject({ method: 'GET', url: `/v1/public/tracking/${'B'.repeat(43)}`, remoteAddress: '10.0.0.8' }), 404);
    } finally {
      await limited.close();
    }
  });
});

describe('whether an order has a link (GET …/tracking-link)', () => {
  const state = async (client: Client, orderId: string) => {
    const res = await as(client).get(link(orderId));
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { exists: boolean; created_at: string | null; created_by: { type: string; id: string; name: string } | null };
  };

  it('says when and by whom the live link was made, never its token, and nothing once revoked', async () => {
    const order = (await upload(ctx, acme, realisticOrder('TL-STATE', { customer: undefined }))).json().order_id as string;
    expect(await state(admin, order)).toEqual({ exists: false, created_at: null, created_by: null });

    const made = await makeLink(acme, order);
    const answer = await as(admin).get(link(order));
    expect(answer.body).not.toContain(made.token);
    expect(answer.json()).toEqual({
      exists: true,
      created_at: made.created_at,
      created_by: { type: 'api_client', id: acme.apiClientId, name: 'CUSTOMER API' },
    });
    // The order's own customer may ask too, and sees the same.
    expect(await state(acme, order)).toEqual(answer.json());

    // A person signed in to the console is named as the person; a new link replaces the old one's maker.
    const olga = await newPerson(ctx, admin, { email: 'olga@carrier.example', name: 'Olga Operator', role: 'TENANT' });
    const remade = await asPerson(olga).post(link(order));
    expect(remade.statusCode, remade.body).toBe(201);
    expect(await state(acme, order)).toEqual({
      exists: true,
      created_at: remade.json().created_at,
      created_by: { type: 'user', id: olga.userId, name: 'Olga Operator' },
    });

    expect((await as(admin).delete(link(order))).statusCode).toBe(204);
    expect(await state(acme, order)).toEqual({ exists: false, created_at: null, created_by: null });
  });

  it('is 404 for another customer, another tenant, a subcontractor carrying the order and an unknown order', async () => {
    await makeLink(admin, acmeOrder);
    // The subcontractor of section "follows the order" carries acmeOrder, and still may not know about its link.
    for (const client of [beta, otherTenant, subco]) expectError(await as(client).get(link(acmeOrder)), 404);
    expectError(await as(admin).get(link('00000000-0000-4000-8000-000000000000')), 404);
    expectError(await as(subcoHook).get(link(acmeOrder)), 403);
    expectError(await ctx.app.inject({ method: 'GET', url: link(acmeOrder) }), 401);
  });
});

describe('the public read is one statement', () => {
  it('reads the order and its deliveries in one query, so they come from one snapshot', async () => {
    const statements: string[] = [];
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        statements.push(args.node.kind);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const links = createTrackingLinks({ db: ctx.services.db.withPlugin(counting), bus: new EventBus(), publicBaseUrl: 'https://tms.example' });
    const { token } = await makeLink(admin, acmeOrder);
    statements.length = 0;
    const answer = await links.read(token);
    expect(statements).toEqual(['SelectQueryNode']);
    // The same answer the route gives.
    expect(answer).toEqual(await track(token));
  });
});
