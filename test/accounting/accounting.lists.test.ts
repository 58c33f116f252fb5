import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { call, newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';
import { seedPurchase, subcontractedTrip } from './accounting.purchase.fixtures.js';

let ctx: TestContext;
let admin: Client;
let acme: string;
let beta: string;
const ids: Record<string, string> = {};

type Doc = { id: string; status: string; updated_at: string; refund_status?: string; customer: { id: string } };

let seq = 0;
async function draftInvoice(customerCode: string): Promise<string> {
  const orderId = await newOrder(ctx, admin, `LIST-${++seq}`, customerCode);
  await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'F', unit_price: 100, tax_rate: { code: 'BE21' } });
  return (await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] })).id as string;
}

async function list(url: string, auth = admin.auth) {
  const res = await ctx.app.inject({ method: 'GET', url, headers: { authorization: auth } });
  return { status: res.statusCode, body: res.json(), link: res.headers.link as string | undefined };
}
const idsOf = (body: { items: Doc[] }) => body.items.map((d) => d.id);

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Ledger carrier');
  await seedBillingEntity(ctx, admin);
  acme = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261' });
  beta = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA', vat_number: 'BE0403019261' });

  ids.posted = await draftInvoice('ACME');
  await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${ids.posted}/finalize`, { date: '2026-03-01' });
  ids.invoiced = await draftInvoice('BETA');
  await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${ids.invoiced}/finalize`, { date: '2026-03-10' });
  ids.draft = await draftInvoice('ACME');
  // The first invoice's task is reported done: it is posted.
  const tasks = (await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks')).tasks as Array<{ id: string; invoice_id: string }>;
  ids.postedTask = tasks.find((t) => t.invoice_id === ids.posted)?.id as string;
  ids.invoicedTask = tasks.find((t) => t.invoice_id === ids.invoiced)?.id as string;
  await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${ids.postedTask}/update-status`, { status: 'COMPLETED' });

  const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${ids.invoiced}/credit`, {});
  ids.note = (await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${note.id}/finalize`, { date: '2026-03-15' })).id as string;
  // A credit note an accounting package made itself.
  ids.externalNote = (
    await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-credit-note/', {
      date: '2026-03-20',
      currency: 'EUR',
      customer: { id: acme },
      charges: [{ amount_excl_tax: '40.00', price_list_item: { code: 'GOODWILL' }, tax_rate: { code: 'BE21' } }],
    })
  ).id as string;
});
afterAll(() => ctx.close());

describe('sales invoice and credit note lists', () => {
  it('lists every invoice as its GET answers it, in the order they last changed', async () => {
    const { status, body, link } = await list('/v1/accounting/sales-invoice/');
    expect(status, JSON.stringify(body)).toBe(200);
    expect(link).toBeUndefined();
    expect(body.next_cursor).toBeNull();
    // The posted invoice changed last of the three (its task completed after the draft was made).
    expect(idsOf(body)).toEqual([ids.invoiced, ids.draft, ids.posted]);
    for (const item of body.items as Doc[]) {
      expectContract('SalesInvoiceOutput', item);
      expect(item).toEqual(await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${item.id}`));
    }
  });

  it('filters by status, customer, billing entity and date range', async () => {
    expect(idsOf((await list('/v1/accounting/sales-invoice/?status=DRAFT')).body)).toEqual([ids.draft]);
    expect(idsOf((await list('/v1/accounting/sales-invoice/?status=INVOICE_POSTED')).body)).toEqual([ids.posted]);
    expect(idsOf((await list('/v1/accounting/sales-invoice/?status=INVOICED')).body)).toEqual([ids.invoiced]);
    expect(idsOf((await list(`/v1/accounting/sales-invoice/?customer_id=${beta}`)).body)).toEqual([ids.invoiced]);
    expect(idsOf((await list(`/v1/accounting/sales-invoice/?customer_id=${acme}&status=DRAFT`)).body)).toEqual([ids.draft]);
    expect(idsOf((await list('/v1/accounting/sales-invoice/?date:gte=2026-03-02&date:lte=2026-03-31')).body)).toEqual([ids.invoiced]);
    expect(idsOf((await list('/v1/accounting/sales-invoice/?date:gte=2026-03-01&date:lte=2026-03-01')).body)).toEqual([ids.posted]);
    expect(idsOf((await list('/v1/accounting/sales-invoice/?billing_entity_code=WB-BE&status=INVOICED')).body)).toEqual([ids.invoiced]);
    expect((await list('/v1/accounting/sales-invoice/?billing_entity_code=NOPE')).body.items).toEqual([]);
    expect((await list('/v1/accounting/sales-invoice/?status=PRE_INVOICED')).body.items).toEqual([]);
    // Credit notes spell the posted state POSTED; an invoice's spelling is not theirs.
    expect((await list('/v1/accounting/sales-credit-note/?status=INVOICE_POSTED')).status).toBe(400);
    expect(idsOf((await list('/v1/accounting/sales-credit-note/?status=POSTED')).body)).toEqual([ids.externalNote]);
  });

  it('lists what changed after a time: the latest updated_at read is where the next read starts', async () => {
    const before = (await list('/v1/accounting/sales-invoice/')).body.items as Doc[];
    const latest = before
      .map((d) => d.updated_at)
      .sort()
      .at(-1) as string;
    expect((await list(`/v1/accounting/sales-invoice/?updated_after=${latest}`)).body.items).toEqual([]);
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${ids.invoiced}/payment/update-status`, { status: 'PAID' });
    const changed = (await list(`/v1/accounting/sales-invoice/?updated_after=${encodeURIComponent(latest)}`)).body.items as Doc[];
    expect(changed.map((d) => d.id)).toEqual([ids.invoiced]);
    expect((changed[0]?.updated_at ?? '') > latest).toBe(true);
    // An offset is read as the instant it names.
    const shifted = new Date(latest).getTime() + 2 * 3600_000;
    const local = new Date(shifted).toISOString().replace('Z', '+02:00');
    expect(idsOf((await list(`/v1/accounting/sales-invoice/?updated_after=${encodeURIComponent(local)}`)).body)).toEqual([ids.invoiced]);
  });

  it('pages with a cursor that keeps its filters, without a skip or a repeat', async () => {
    const all = idsOf((await list('/v1/accounting/sales-invoice/')).body);
    const seen: string[] = [];
    let url: string | undefined = '/v1/accounting/sales-invoice/?limit=1';
    while (url) {
      const page = await list(url);
      expect(page.status).toBe(200);
      seen.push(...idsOf(page.body));
      if (page.body.next_cursor) expect(page.link).toBe(`</v1/accounting/sales-invoice/?cursor=${page.body.next_cursor}>; rel="next"`);
      url = page.body.next_cursor ? `/v1/accounting/sales-invoice/?cursor=${page.body.next_cursor}&limit=1` : undefined;
    }
    expect(seen).toEqual(all);

    const first = (await list(`/v1/accounting/sales-invoice/?customer_id=${acme}&limit=1`)).body;
    expect(first.next_cursor).toEqual(expect.any(String));
    // Alone, the cursor goes on with the customer filter; with another filter it is refused.
    const rest = (await list(`/v1/accounting/sales-invoice/?cursor=${first.next_cursor}`)).body;
    expect([...idsOf(first), ...idsOf(rest)].sort()).toEqual([ids.posted, ids.draft].sort());
    const mixed = await list(`/v1/accounting/sales-invoice/?cursor=${first.next_cursor}&customer_id=${beta}`);
    expect(mixed.status).toBe(400);
    expect((await list('/v1/accounting/sales-invoice/?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
  });

  it('refuses a query parameter it does not know, naming it, in the error envelope', async () => {
    for (const path of ['sales-invoice', 'sales-credit-note', 'purchase-invoice', 'purchase-credit-note']) {
      const res = await list(`/v1/accounting/${path}/?customer=${acme}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('customer');
      expect(res.body.errors[0]).toMatchObject({ field: 'customer', path: 'querystring.customer' });
    }
    // The sales lists name the party customer_id, the purchase ones supplier_id.
    expect((await list(`/v1/accounting/purchase-invoice/?customer_id=${acme}`)).body.errors[0].field).toBe('customer_id');
    expect((await list('/v1/accounting/sales-invoice/?updated_after=yesterday')).status).toBe(400);
    expect((await list('/v1/accounting/sales-invoice/?date:gte=2026-02-30x')).status).toBe(400);
    expect((await list('/v1/accounting/sales-invoice/?limit=201')).status).toBe(400);
    const tasks = await list('/v1/accounting/sync-tasks?state=FAILED');
    expect(tasks.status).toBe(400);
    expect(tasks.body.errors[0].field).toBe('state');
    expect((await list('/v1/tasks/available-tasks?billing_entity_code=WB-BE')).status).toBe(400);
  });

  it('answers a credit note’s refund_status only with OPEN or REFUNDED', async () => {
    const notes = (await list('/v1/accounting/sales-credit-note/')).body.items as Doc[];
    expect(notes.map((n) => n.id).sort()).toEqual([ids.note, ids.externalNote].sort());
    for (const note of notes) {
      expectContract('SalesCreditNoteOutput', note);
      expect(note.refund_status).toBe('OPEN');
    }
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${ids.externalNote}/refund/update-status`, { status: 'REFUNDED' });
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-credit-note/${ids.externalNote}`)).refund_status).toBe('REFUNDED');
    expect((await call(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${ids.externalNote}/refund/update-status`, { status: 'PAID' })).status).toBe(
      400,
    );
  });

  it('shows a tenant only its own documents, and a customer only the issued sales documents of its company', async () => {
    const other = await newTenant(ctx, 'Other carrier');
    for (const path of ['sales-invoice', 'sales-credit-note', 'purchase-invoice', 'purchase-credit-note']) {
      const res = await list(`/v1/accounting/${path}/`, other.auth);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
    expect((await list(`/v1/accounting/sales-invoice/?customer_id=${acme}`, other.auth)).body.items).toEqual([]);
    // A cursor made for one tenant reads nothing of it for another.
    const first = (await list('/v1/accounting/sales-invoice/?limit=1')).body;
    expect((await list(`/v1/accounting/sales-invoice/?cursor=${first.next_cursor}`, other.auth)).body.items).toEqual([]);
    const customer = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acme });
    // The customer portal (issue 23): its own issued sales documents, never drafts; purchase lists stay closed.
    for (const path of ['sales-invoice', 'sales-credit-note']) {
      const res = await list(`/v1/accounting/${path}/`, customer.auth);
      expect(res.status).toBe(200);
      for (const item of res.body.items as Array<{ customer: { id: string }; status: string }>) {
        expect(item.customer.id).toBe(acme);
        expect(item.status).not.toBe('DRAFT');
      }
    }
    for (const path of ['purchase-invoice', 'purchase-credit-note']) expect((await list(`/v1/accounting/${path}/`, customer.auth)).status).toBe(403);
  });
});

describe('sync task lists by status', () => {
  it('lists FAILED tasks with their reason, and records an event when a task fails', async () => {
    const failure = { error_type: 'USER_INPUT_ERROR', error_message: 'Customer BETA is unknown in the ledger' };
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${ids.invoicedTask}/update-status`, { status: 'FAILED', failure });
    // The same report again is no news.
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${ids.invoicedTask}/update-status`, { status: 'FAILED', failure });

    const failed = (await list('/v1/accounting/sync-tasks?status=FAILED')).body;
    expectContract('AvailableTasks', { tasks: failed.tasks });
    expect(failed.tasks.map((t: { id: string }) => t.id)).toEqual([ids.invoicedTask]);
    expect((await ok(ctx, admin.auth, 'GET', `/v1/accounting/sync-tasks/${ids.invoicedTask}`)).failure).toEqual(failure);
    expect((await list('/v1/accounting/sync-tasks?status=COMPLETED')).body.tasks.map((t: { id: string }) => t.id)).toEqual([ids.postedTask]);
    const todo = (await list('/v1/accounting/sync-tasks')).body.tasks.map((t: { id: string }) => t.id);
    expect(todo).not.toContain(ids.invoicedTask);
    expect(todo).not.toContain(ids.postedTask);
    expect((await list('/v1/accounting/sync-tasks?status=LOST')).status).toBe(400);

    const events = (await ok(ctx, admin.auth, 'GET', '/v1/events?types=sync_task.failed')).items as Array<{ entity_id: string; payload: unknown }>;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entity_id: ids.invoicedTask,
      payload: { id: ids.invoicedTask, task_type: 'POST_INVOICE', document_id: ids.invoiced, document_kind: 'SALES_INVOICE', failure },
    });
    // Another tenant neither lists the task nor sees the event.
    const other = await newTenant(ctx, 'Third carrier');
    expect((await list('/v1/accounting/sync-tasks?status=FAILED', other.auth)).body.tasks).toEqual([]);
    expect((await ok(ctx, other.auth, 'GET', '/v1/events?types=sync_task.failed')).items).toEqual([]);

    // Retried, it is TODO again; failing anew is a new event.
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${ids.invoicedTask}/retry`);
    expect((await list('/v1/accounting/sync-tasks?status=FAILED')).body.tasks).toEqual([]);
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${ids.invoicedTask}/update-status`, { status: 'FAILED' });
    expect((await ok(ctx, admin.auth, 'GET', '/v1/events?types=sync_task.failed')).items).toHaveLength(2);
  });
});

describe('purchase invoice and credit note lists', () => {
  it('lists self-billing invoices and credit notes by supplier, status, date range and updated_after', async () => {
    const carrier = await newTenant(ctx, 'Buying carrier');
    const { subcoId, subco } = await seedPurchase(ctx, carrier);
    await newCompany(ctx, carrier, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261' });
    await subcontractedTrip(ctx, carrier, subco, subcoId, 'PL-1', '300.00');
    const draft = await ok(ctx, carrier.auth, 'POST', '/v1/accounting/purchase-invoice/self-bill', { subcontractor_id: subcoId, tax_rate: { code: 'BE21-P' } });
    const invoice = await ok(ctx, carrier.auth, 'POST', `/v1/accounting/purchase-invoice/${draft.id}/finalize`, { date: '2026-04-01' });
    const note = await ok(ctx, carrier.auth, 'POST', `/v1/accounting/purchase-invoice/${invoice.id}/credit`, {});

    const invoices = (await list(`/v1/accounting/purchase-invoice/?supplier_id=${subcoId}`, carrier.auth)).body;
    expect(idsOf(invoices)).toEqual([invoice.id]);
    expectContract('PurchaseInvoice', invoices.items[0]);
    expect(invoices.items[0]).toEqual(await ok(ctx, carrier.auth, 'GET', `/v1/accounting/purchase-invoice/${invoice.id}`));
    expect((await list('/v1/accounting/purchase-invoice/?status=DRAFT', carrier.auth)).body.items).toEqual([]);
    expect(idsOf((await list('/v1/accounting/purchase-credit-note/?status=DRAFT', carrier.auth)).body)).toEqual([note.id]);
    expect((await list(`/v1/accounting/purchase-credit-note/?supplier_id=${acme}`, carrier.auth)).body.items).toEqual([]);
    // By date range, and by what changed after the latest change read, as the sales lists.
    expect(idsOf((await list('/v1/accounting/purchase-invoice/?date:gte=2026-04-01&date:lte=2026-04-01', carrier.auth)).body)).toEqual([invoice.id]);
    expect((await list('/v1/accounting/purchase-invoice/?date:gte=2026-04-02', carrier.auth)).body.items).toEqual([]);
    const latest = (invoices.items as Doc[])
      .map((d) => d.updated_at)
      .sort()
      .at(-1) as string;
    expect((await list(`/v1/accounting/purchase-invoice/?updated_after=${encodeURIComponent(latest)}`, carrier.auth)).body.items).toEqual([]);
    await ok(ctx, carrier.auth, 'POST', `/v1/accounting/purchase-invoice/${invoice.id}/payment/update-status`, { status: 'PAID' });
    expect(idsOf((await list(`/v1/accounting/purchase-invoice/?updated_after=${encodeURIComponent(latest)}`, carrier.auth)).body)).toEqual([invoice.id]);
    // The sales tenant has no purchase documents; the subcontractor's own client lists nothing either.
    expect((await list('/v1/accounting/purchase-invoice/')).body.items).toEqual([]);
    const subcoApi = await newClient(ctx, carrier.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
    expect((await list('/v1/accounting/purchase-invoice/', subcoApi.auth)).status).toBe(403);
  });
});
