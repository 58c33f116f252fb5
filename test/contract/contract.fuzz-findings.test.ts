import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, stageUpload, type Client, type TestContext } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { partialExample, partialExampleTarget } from '../support/contract-examples.js';
import { as } from '../support/requests.js';
import { realisticOrder, upload } from '../orders/orders.fixtures.js';
import { seedPurchase } from '../accounting/accounting.purchase.fixtures.js';
import { ok } from '../accounting/accounting.fixtures.js';

/**
 * What a schema-driven fuzzer built from the reference contract found (issue 20): input the
 * contract allows that Waybill refused, refusals that did not say which rule, and answers a client
 * could not rely on. Each finding is a test here; where Waybill must refuse, the answer is a 400
 * naming the rule and the operation's description says so.
 */

let ctx: TestContext;
let admin: Client;
let hook: Client;
let subco: Client;
let acmeId: string;
let spec: { paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown>; parameters?: Array<{ name: string; in: string }>; security?: unknown[] }>> };

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx);
  acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', accounting_code: 'C-ACME', vat_number: 'BE0403019261' });
  ({ subco } = await seedPurchase(ctx, admin));
  hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  spec = (await ctx.app.inject({ url: '/openapi.json' })).json();
});
afterAll(() => ctx.close());

const describedAs = (path: string, method: string, text: RegExp) => expect(spec.paths[path]?.[method]?.description).toMatch(text);

/** A 400 whose message names `field` and says it must not be empty. */
function expectNotEmpty(res: Awaited<ReturnType<typeof upload>>, field: string) {
  expectError(res, 400);
  expect(res.json().message).toBe(`Invalid body: ${field} must not be empty`);
}

describe('refusals that name their rule, and operations that document it', () => {
  it('an order with no consignments, on the upload and on /v1/webhook', async () => {
    expectNotEmpty(await upload(ctx, admin, realisticOrder('EMPTY-C', { consignments: [] })), 'consignments');
    expectNotEmpty(await as(hook).post('/v1/webhook', realisticOrder('EMPTY-C', { consignments: [] })), 'consignments');
    expectNotEmpty(await as(hook).post('/v1/webhook', realisticOrder('')), 'order_identifier');
    describedAs('/v1/orders/order/upload', 'post', /empty `consignments`.*empty `order_identifier`/s);
    describedAs('/v1/webhook', 'post', /empty `consignments`.*empty `order_identifier`/s);
  });

  it('a sales invoice or credit note with no charges', async () => {
    const body = { date: '2026-12-02', currency: 'EUR', customer: { accounting_code: 'C-ACME' }, charges: [] };
    expectNotEmpty(await as(admin).post('/v1/accounting/sales-invoice/', body), 'charges');
    expectNotEmpty(await as(admin).post('/v1/accounting/sales-credit-note/', body), 'charges');
    describedAs('/v1/accounting/sales-invoice/', 'post', /empty `charges` is refused/);
    describedAs('/v1/accounting/sales-credit-note/', 'post', /empty `charges` is refused/);
  });

  const einvoice = (lines: unknown[]) => ({
    invoice_type: 'PURCHASE',
    name: `FUZZ-${lines.length}`,
    date: '2026-12-01',
    due_date: '2026-12-31',
    currency: 'EUR',
    total_excl_tax: '100.00',
    total_tax: '21.00',
    total_incl_tax: '121.00',
    supplier: { name: 'Haulers HAUL BV', vat_number: 'BE0477472701' },
    line_items: lines,
  });

  it('an e-invoice without lines, and one whose tax_type is not a TaxRateType (AAA), recording nothing', async () => {
    expectNotEmpty(await as(subco).post('/v1/webhook/e-invoicing', einvoice([])), 'line_items');
    const aaa = await as(subco).post('/v1/webhook/e-invoicing', einvoice([{ amount: '100.00', currency: 'EUR', tax_rate: { percentage: 21, tax_type: 'AAA' } }]));
    expectError(aaa, 400);
    expect(aaa.json().errors[0]).toMatchObject({ field: 'tax_type', path: 'body.line_items.0.tax_rate.tax_type' });
    describedAs('/v1/webhook/e-invoicing', 'post', /empty `line_items` is refused.*`tax_type`/s);
    expect((await ok(ctx, admin.auth, 'GET', '/v1/events?types=purchase_invoice.e_invoice_received')).items).toEqual([]);
  });

  it('a type error deep inside an order is a 400 with its path, not a business error about something else', async () => {
    const order = realisticOrder('DEEP-1') as { consignments: Array<{ goods: Array<Record<string, unknown>> }> };
    (order.consignments[1]?.goods[0] as Record<string, unknown>).quantity = 'many';
    const res = await upload(ctx, admin, order);
    expectError(res, 400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'quantity', path: 'body.consignments.1.goods.0.quantity' })]);
  });

  it('an empty question_path_key or a stop_id that is no UUID on the document-upload webhooks', async () => {
    for (const url of ['/v1/webhook/fleet-document-upload', '/v1/webhook/subco-document-upload']) {
      const post = (query: Record<string, string>) =>
        ctx.app.inject({ method: 'POST', url, query, headers: { authorization: hook.auth, 'content-type': 'application/pdf' }, payload: Buffer.from('%PDF-1.4\n%%EOF\n') });
      const empty = await post({ question_path_key: '', stop_id: crypto.randomUUID() });
      expectError(empty, 400);
      expect(empty.json().message).toBe('Invalid querystring: question_path_key must not be empty');
      const notUuid = await post({ question_path_key: 'POD', stop_id: 'STOP-1' });
      expectError(notUuid, 400);
      expect(notUuid.json().errors[0]).toMatchObject({ field: 'stop_id', path: 'querystring.stop_id' });
      describedAs(url, 'post', /empty `question_path_key`.*`stop_id` that is not a UUID/s);
    }
  });

  it('an unknown query parameter on a list is a 400 naming it, not an unfiltered list', async () => {
    for (const list of ['/v1/companies/company', '/v1/orders/order', '/v1/trips/trip', '/v1/resources/resource', '/v1/events', '/v1/trips/unmatched-status-updates']) {
      const res = await as(admin).get(`${list}?stauts=OPEN`);
      expectError(res, 400);
      expect(res.json().message, list).toBe('Invalid querystring: stauts is not allowed here');
    }
    expect((await as(admin).get('/v1/companies/company?limit=5')).statusCode).toBe(200);
  });
});

describe('input the contract allows, accepted', () => {
  it('a company document with an empty name, named after its file', async () => {
    const uploadId = await stageUpload(ctx, admin, '%PDF-1.4\n%%EOF\n', 'insurance-2027.pdf');
    const res = await as(admin).post(`/v1/companies/company/${acmeId}/documents`, { upload_id: uploadId, document_type: 'CARGO_INSURANCE', name: '' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().name).toBe('insurance-2027.pdf');
  });

  it("exchange_rate in the contract's string forms, stored exactly; what is no positive number refused naming the rule", async () => {
    const rate = (exchange_rate: unknown, date = '2026-11-30') =>
      as(admin).post('/v1/accounting/exchange-rate', { exchange_rate, inverse_exchange_rate: '1.1665', exchange_rate_date: date, from_currency: 'EUR', to_currency: 'GBP' });
    for (const [i, form] of ['0.8573', '.8573', '+0.8573', '8.573e-1', ' 0.8573 ', 0.8573].entries()) {
      const res = await rate(form, `2026-11-${String(10 + i)}`);
      expect(res.statusCode, `${String(form)}: ${res.body}`).toBe(200);
      expect(res.json().exchange_rate).toBe(0.8573);
    }
    for (const bad of ['abc', '1,5', '0', '0.0000000000001', '-1']) {
      const res = await rate(bad);
      expectError(res, 400);
      expect(res.json().errors[0], bad).toMatchObject({ field: 'exchange_rate' });
    }
  });

  it('tracking_match {} is an update that names no resource, answered in errors', async () => {
    const res = await as(hook).post('/v1/webhook/tracking-update', { updates: [{ tracking_match: {}, tracking_update_data: [] }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().errors).toEqual([{ error_type: 'USER_INPUT_ERROR', error_message: expect.stringContaining('updates.0') }]);
  });

  it("the contract's own partial-order-update example (signature and scan_barcode) applies", async () => {
    const target = await upload(ctx, admin, { ...partialExampleTarget('FUZZ-PARTIAL'), customer: { code: 'ACME' } });
    expect(target.json().upload_status, target.body).toBe('COMPLETED');
    const res = await as(hook).post('/v1/webhook/partial-order-update', partialExample.body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().errors).toEqual([]);
  });

  it("a TENANT approves and rejects charges on the customer's behalf, recorded as such", async () => {
    await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'FZ21', name: 'VAT 21%', percentage: '21' });
    const orderId = (await upload(ctx, admin, realisticOrder('FUZZ-CHARGES'))).json().order_id as string;
    const charges = `/v1/orders/order/${orderId}/charges`;
    const asked = await ok(ctx, admin.auth, 'POST', charges, { code: 'WAITING', unit_price: '40', tax_rate: { code: 'FZ21' }, requires_approval: true });
    const approved = await ok(ctx, admin.auth, 'POST', `${charges}/approval`, { charges: [{ id: asked.id }] });
    expect(approved.charges.find((c: { id: string }) => c.id === asked.id).approval_status).toBe('APPROVED');
    const events = await ok(ctx, admin.auth, 'GET', '/v1/events?types=charge.approved');
    expect(events.items.at(-1).payload).toMatchObject({ charge_id: asked.id, answered_by: 'TENANT_ON_BEHALF_OF_CUSTOMER', answered_by_client_id: admin.apiClientId });
    // The customer's own answer is recorded as the customer's; its company's events show both.
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
    await ok(ctx, customer.auth, 'POST', `${charges}/approval`, { charges: [{ id: asked.id, approval_status: 'REJECTED' }] });
    const rejected = await ok(ctx, customer.auth, 'GET', '/v1/events?types=charge.rejected');
    expect(rejected.items.at(-1).payload).toMatchObject({ answered_by: 'CUSTOMER', answered_by_client_id: customer.apiClientId });
  });
});

describe('answers a client can rely on', () => {
  it('declares Idempotency-Key, and the 409 a reused key answers, on every POST that honours it', async () => {
    const posts = Object.entries(spec.paths).flatMap(([path, ops]) => (ops.post ? [[path, ops.post] as const] : []));
    const missing = posts
      // Keys are scoped to the verified client: a POST that takes no credentials (the token
      // endpoint, signing in, accepting an invite) has no one to scope them to.
      .filter(([path, op]) => path !== '/v1/auth/token' && !(Array.isArray(op.security) && op.security.length === 0))
      .filter(([, op]) => !op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key') || !op.responses['409'])
      .map(([path]) => path);
    expect(posts.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
    // And it is honoured where it is declared: a webhook replays its first answer for the same key.
    const body = { updates: [{ tracking_match: {} }] };
    const headers = { 'idempotency-key': 'fuzz-replay-1' };
    const first = await as(hook).post('/v1/webhook/tracking-update', body, headers);
    expect(first.statusCode, first.body).toBe(200);
    expectError(await as(hook).post('/v1/webhook/tracking-update', { updates: [] }, headers), 409);
  });

  it('OPTIONS on /charges/approval lists its own methods, not those of /charges/{charge_id}', async () => {
    const res = await as(admin).send('OPTIONS' as 'GET', `/v1/orders/order/${crypto.randomUUID()}/charges/approval`);
    expectError(res, 405);
    expect(res.headers.allow).toBe('POST');
    expect((await as(admin).send('OPTIONS' as 'GET', `/v1/orders/order/${crypto.randomUUID()}/charges/${crypto.randomUUID()}`)).headers.allow).toBe('DELETE, PATCH');
  });

  it('QUERY and a method HTTP does not know answer 405 with Allow', async () => {
    const address = new URL(await ctx.app.listen({ host: '127.0.0.1', port: 0 }));
    const raw = (method: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(address.port), '127.0.0.1', () =>
          socket.write(`${method} /v1/companies/company HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${admin.auth}\r\nConnection: close\r\n\r\n`),
        );
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    for (const method of ['QUERY', 'FROB']) {
      const answer = await raw(method);
      expect(answer, method).toMatch(/^HTTP\/1\.1 405 /);
      expect(answer, method).toMatch(/\r\nallow: GET, HEAD, POST\r\n/i);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).message).toBe(`${method} is not served on /v1/companies/company; it takes GET, HEAD, POST`);
    }
  });

  it('a truck reads back as it was created: the same variant, its measures as the exact decimal strings the contract answers', async () => {
    const truck = { license_plate: '1-FZ-001', capacity_pallet_spaces: 18, capacity_weight_kg: '12000.5', tare_weight_kg: 7800.25, roof_type: 'CLOSED' };
    const created = await ok(ctx, admin.auth, 'POST', '/v1/resources/resource', { name: 'Fuzz truck', truck });
    const read = await ok(ctx, admin.auth, 'GET', `/v1/resources/resource/${created.row_id}`);
    expect(read).toEqual(created);
    expect(read).toMatchObject({ resource_type: 'RIGID', truck: { ...truck, capacity_pallet_spaces: '18', tare_weight_kg: '7800.25' } });
  });
});
