import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { contractErrors, expectContract } from '../support/contract.js';
import { get, realisticOrder, upload } from './orders.fixtures.js';
import { as } from '../support/requests.js';

const ctx = useApp();
let admin: Client;
let acmeId: string;
let betaId: string;
let acme: Client;
let beta: Client;
let subco: Client;
let otherTenant: Client;
let acmeOrder: string;
let betaOrder: string;
let betaUpload: string;

const countOrders = async () =>
  Number(
    (
      await ctx.services.db
        .selectFrom('orders')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  admin = await newTenant(ctx);
  acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
  betaId = await newCompany(ctx, admin, { name: 'Beta Foods', code: 'BETA' });
  const haulerId = await newCompany(ctx, admin, { name: 'Hauler', code: 'HAUL', is_customer: false, is_subcontractor: true });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: haulerId });
  otherTenant = await newTenant(ctx, 'Other carrier');
  await newCompany(ctx, otherTenant, { name: 'Acme', code: 'ACME' });
  acmeOrder = (await upload(ctx, acme, realisticOrder('ACC-A', { customer: undefined }))).json().order_id;
  const b = (await upload(ctx, beta, realisticOrder('ACC-B', { customer: { code: 'BETA' } }))).json();
  betaOrder = b.order_id;
  betaUpload = b.upload_id;
});

describe('customer clients', () => {
  it('order for their own company, by default or by naming it', async () => {
    expect(acmeOrder).toBeTruthy();
    const named = await upload(ctx, acme, realisticOrder('ACC-A2', { customer: { name: 'ACME' } }));
    expect(named.json().upload_status).toBe('COMPLETED');
    const order = (await get(ctx, acme, `/v1/orders/order/${named.json().order_id}`)).json();
    expect(order.customer.id).toBe(acmeId);
  });

  it('cannot order for another company: 403 and nothing written', async () => {
    const before = await countOrders();
    const uploadsBefore = await ctx.services.db.selectFrom('order_uploads').select('id').execute();
    for (const customer of [{ code: 'BETA' }, { name: 'Beta Foods' }, { code: 'NOBODY' }]) {
      const res = await upload(ctx, acme, realisticOrder('ACC-X', { customer }));
      expect(res.statusCode).toBe(403);
      expectContract('ValidationErrorResponse', res.json());
    }
    expect(await countOrders()).toBe(before);
    expect(await ctx.services.db.selectFrom('order_uploads').select('id').execute()).toHaveLength(uploadsBefore.length);
  });

  it("cannot read, export, poll or update another customer's order", async () => {
    for (const url of [
      `/v1/orders/order/${betaOrder}`,
      `/v1/orders/order/${betaOrder}/status`,
      `/v1/orders/order/${betaOrder}/export`,
      `/v1/orders/order/upload/${betaUpload}`,
    ]) {
      const res = await get(ctx, acme, url);
      expect(res.statusCode, url).toBe(404);
      expectContract('ValidationErrorResponse', res.json());
    }
    // Acme's UPDATE of the same identifier resolves to Acme's own (non-existent) order, never Beta's.
    const update = await upload(ctx, acme, realisticOrder('ACC-B', { operation: 'UPDATE', customer: undefined }));
    expect(update.json().upload_status).toBe('ERROR');
    expect((await get(ctx, beta, `/v1/orders/order/${betaOrder}`)).json().planning_instructions).toBe('Tail lift required');
  });

  it('list only their own orders', async () => {
    const res = await get(ctx, acme, '/v1/orders/order');
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((o: { id: string }) => o.id);
    expect(ids).toContain(acmeOrder);
    expect(ids).not.toContain(betaOrder);
    const filtered = await get(ctx, acme, '/v1/orders/order?customer_code=BETA');
    expect(filtered.json().items).toEqual([]);
  });
});

describe('subcontractor clients', () => {
  it('cannot upload and see no orders', async () => {
    const res = await upload(ctx, subco, realisticOrder('SUB-1'));
    expect(res.statusCode).toBe(403);
    expect((await get(ctx, subco, `/v1/orders/order/${acmeOrder}`)).statusCode).toBe(404);
    expect((await get(ctx, subco, '/v1/orders/order')).json().items).toEqual([]);
  });
});

describe('tenant isolation', () => {
  it("another tenant's order is a 404 everywhere and never listed", async () => {
    for (const url of [`/v1/orders/order/${acmeOrder}`, `/v1/orders/order/${acmeOrder}/status`, `/v1/orders/order/${acmeOrder}/export`]) {
      expect((await get(ctx, otherTenant, url)).statusCode, url).toBe(404);
    }
    expect((await get(ctx, otherTenant, `/v1/orders/order/upload/${betaUpload}`)).statusCode).toBe(404);
    expect((await get(ctx, otherTenant, '/v1/orders/order')).json().items).toEqual([]);
  });

  it('the same customer code and identifier in another tenant make an independent order', async () => {
    const res = await upload(ctx, otherTenant, realisticOrder('ACC-A'));
    expect(res.json().upload_status).toBe('COMPLETED');
    expect(res.json().order_id).not.toBe(acmeOrder);
    expect(res.json().order_name).toBe('OR-000001');
  });

  it('other modules get a 404 through findVisibleOrder across tenants and customers', async () => {
    const principal = {
      tenantId: otherTenant.tenantId,
      apiClientId: otherTenant.apiClientId,
      clientId: otherTenant.clientId,
      role: 'TENANT' as const,
      kind: 'API' as const,
      companyId: null,
    };
    await expect(ctx.services.orders.findVisibleOrder(principal, acmeOrder)).rejects.toMatchObject({ statusCode: 404 });
    const betaPrincipal = { ...principal, tenantId: admin.tenantId, role: 'CUSTOMER' as const, companyId: betaId };
    await expect(ctx.services.orders.findVisibleOrder(betaPrincipal, acmeOrder)).rejects.toMatchObject({ statusCode: 404 });
    const own = await ctx.services.orders.findVisibleOrder({ ...betaPrincipal, companyId: acmeId }, acmeOrder);
    expect(own).toMatchObject({ id: acmeOrder, tenantId: admin.tenantId, customerCompanyId: acmeId, customerReferenceNumber: 'PO-ACC-A', status: 'TO_PLAN' });
  });
});

describe('interfaces for other modules', () => {
  it('matchOrder finds by customer reference number or name', async () => {
    const principal = {
      tenantId: admin.tenantId,
      apiClientId: admin.apiClientId,
      clientId: admin.clientId,
      role: 'TENANT' as const,
      kind: 'API' as const,
      companyId: null,
    };
    const ref = await ctx.services.orders.findVisibleOrder(principal, acmeOrder);
    expect(await ctx.services.orders.matchOrder(principal, { name: ref.name })).toEqual([ref]);
    expect(await ctx.services.orders.matchOrder(principal, { customerReferenceNumber: 'PO-ACC-A' })).toEqual([ref]);
    expect(await ctx.services.orders.matchOrder({ ...principal, tenantId: otherTenant.tenantId }, { name: ref.name })).not.toContainEqual(ref);
    expect(await ctx.services.orders.matchOrder({ ...principal, role: 'CUSTOMER', companyId: betaId }, { name: ref.name })).toEqual([]);
    expect(await ctx.services.orders.matchOrder(principal, {})).toEqual([]);
  });

  it('visibilityOrder is a contract VisibilityOrder', async () => {
    const snapshot = await ctx.services.orders.visibilityOrder(admin.tenantId, acmeOrder);
    expect(contractErrors('VisibilityOrder', snapshot)).toEqual([]);
    expect(snapshot.stops).toHaveLength(4);
    expect(snapshot.status).toBe('TO_PLAN');
    await expect(ctx.services.orders.visibilityOrder(otherTenant.tenantId, acmeOrder)).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('concurrency', () => {
  it('20 parallel identical CREATEs make exactly one order', async () => {
    const before = await countOrders();
    const results = await Promise.all(Array.from({ length: 20 }, () => upload(ctx, admin, realisticOrder('PAR-1'))));
    const bodies = results.map((r) => r.json());
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    expect(bodies.filter((b) => b.upload_status === 'COMPLETED')).toHaveLength(1);
    expect(bodies.filter((b) => b.upload_status === 'DUPLICATE')).toHaveLength(19);
    expect(new Set(bodies.map((b) => b.order_id)).size).toBe(1);
    expect(await countOrders()).toBe(before + 1);
  });
});

describe('list', () => {
  it('filters by status, customer and updated_after, and pages with a cursor', async () => {
    await upload(ctx, admin, { operation: 'DELETE', order_identifier: 'ACC-A2', customer: { code: 'ACME' }, consignments: [] });
    const cancelled = await get(ctx, admin, '/v1/orders/order?status=CANCELLED');
    expect(cancelled.json().items.map((o: { order_identifier: string }) => o.order_identifier)).toEqual(['ACC-A2']);
    const beta = await get(ctx, admin, '/v1/orders/order?customer_code=BETA');
    expect(beta.json().items.map((o: { id: string }) => o.id)).toEqual([betaOrder]);
    expect(beta.json().items[0]).toMatchObject({
      customer: { id: betaId, code: 'BETA', name: 'Beta Foods' },
      first_pickup_date: '2026-12-01',
      last_delivery_date: '2026-12-03',
    });

    const all = (await get(ctx, admin, '/v1/orders/order')).json().items as Array<{ id: string; updated_timestamp: string }>;
    const seen: string[] = [];
    let url = '/v1/orders/order?limit=2';
    for (;;) {
      const page = (await get(ctx, admin, url)).json();
      seen.push(...page.items.map((o: { id: string }) => o.id));
      if (!page.next_cursor) break;
      url = `/v1/orders/order?cursor=${encodeURIComponent(page.next_cursor)}`;
    }
    expect(seen).toEqual(all.map((o) => o.id));
    const later = await get(ctx, admin, `/v1/orders/order?updated_after=${encodeURIComponent(all[1]?.updated_timestamp ?? '')}`);
    expect(later.json().items.every((o: { updated_timestamp: string }) => o.updated_timestamp > (all[1]?.updated_timestamp ?? ''))).toBe(true);
  });

  it('refuses a cursor with different filters and bad filter values', async () => {
    const page = (await get(ctx, admin, '/v1/orders/order?limit=1&status=TO_PLAN')).json();
    expect((await get(ctx, admin, `/v1/orders/order?status=QUOTE&cursor=${page.next_cursor}`)).statusCode).toBe(400);
    for (const q of ['status=SHIPPED', 'updated_after=yesterday', 'limit=0', 'cursor=%%%', `customer_code=${'x'.repeat(101)}`]) {
      const res = await get(ctx, admin, `/v1/orders/order?${q}`);
      expect(res.statusCode, q).toBe(400);
      expectContract('ValidationErrorResponse', res.json());
    }
  });
});

describe('bad input', () => {
  const base = () => realisticOrder('BAD-1');
  const withStop = (stop: Record<string, unknown>) => {
    const body = base();
    const consignments = body.consignments as Array<Record<string, unknown>>;
    consignments[0] = { ...consignments[0], pickup_stop: { ...(consignments[0]?.pickup_stop as object), ...stop } };
    return body;
  };
  const cases: Array<[string, unknown]> = [
    ['no order_identifier', { ...base(), order_identifier: undefined }],
    ['empty order_identifier', { ...base(), order_identifier: '' }],
    ['unknown operation', { ...base(), operation: 'UPSERT' }],
    ['unknown order_status', { ...base(), order_status: 'PLANNED' }],
    ['no consignments on CREATE', { ...base(), consignments: [] }],
    ['consignments not a list', { ...base(), consignments: {} }],
    ['too many consignments', { ...base(), consignments: Array.from({ length: 101 }, () => (base().consignments as unknown[])[0]) }],
    ['consignment without delivery stop', { ...base(), consignments: [{ pickup_stop: { location: {} } }] }],
    ['stop without location', withStop({ location: undefined })],
    ['bad country', withStop({ location: { name: 'x', country: 'Belgium' } })],
    ['bad latitude', withStop({ location: { name: 'x', latitude: 123 } })],
    ['bad date', withStop({ date: '01/12/2026' })],
    ['bad time window', withStop({ time_window: { start_time: '25:00' } })],
    ['over-long reference', withStop({ reference_number: 'r'.repeat(256) })],
    ['negative duration', withStop({ duration: -5 })],
    ['bad location id', withStop({ location: { id: 'not-a-uuid' } })],
    ['bad requested price', { ...base(), pricing: { requested_price: '12,50' } }],
    ['too many contact emails', { ...base(), contact_emails: Array.from({ length: 51 }, (_, i) => `a${i}@x.example`) }],
    ['customer not an object', { ...base(), customer: 'ACME' }],
    ['body is a list', [base()]],
  ];
  for (const [name, body] of cases) {
    it(`${name} → 400 with the error envelope`, async () => {
      const before = await countOrders();
      const res = await upload(ctx, admin, body);
      expect(res.statusCode, res.body).toBe(400);
      expectContract('ValidationErrorResponse', res.json());
      expect(res.json().errors.length).toBeGreaterThan(0);
      expect(await countOrders()).toBe(before);
    });
  }

  it('malformed JSON and bad path ids → 400', async () => {
    const res = await as(admin).post('/v1/orders/order/upload', '{"operation":', { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(400);
    expectContract('ValidationErrorResponse', res.json());
    for (const url of ['/v1/orders/order/123', '/v1/orders/order/upload/xyz', '/v1/orders/order/123/status']) {
      expect((await get(ctx, admin, url)).statusCode, url).toBe(400);
    }
  });
});
